"""The server's side of the network test: a WebRTC peer (aiortc) that answers a browser's offer
and serves the three data channels the browser opens:

- "ping" (reliable, ordered): each message comes back as it was; the browser times the trips.
- "loss" (unordered, never resent): each message comes back as it was, once; the browser counts
  what returns.
- "bulk" (reliable, ordered): binary messages are counted, and the count so far is sent back as
  text whenever REPORT_EVERY more bytes have arrived, and when the text "end" arrives; the
  browser divides bytes by time.

Its work is bounded: at most one channel of each name, echoes of at most MAX_ECHO_BYTES and at
most MAX_ECHOES of them per channel, and at most MAX_BULK_BYTES counted; past a bound the
channel is closed. The consumer (techcheck.consumers) bounds the time and closes the peer.
Nothing of the offer, the answer or the candidates is kept.
"""

from dataclasses import asdict, dataclass
from typing import Any

from aiortc import (
    RTCConfiguration,
    RTCDataChannel,
    RTCIceServer,
    RTCPeerConnection,
    RTCSessionDescription,
)


@dataclass(frozen=True)
class Plan:
    """What the browser sends, given to it when the test starts."""

    pings: int = 20
    ping_interval_ms: int = 20
    loss_packets: int = 100
    loss_interval_ms: int = 10
    bulk_bytes: int = 1_500_000
    chunk_bytes: int = 16_384

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


PLAN = Plan()
REPORT_EVERY = 65_536
MAX_ECHO_BYTES = 256
MAX_ECHOES = 4 * max(PLAN.pings, PLAN.loss_packets)
MAX_BULK_BYTES = 2 * PLAN.bulk_bytes
MAX_OFFER_CHARS = 32_768


class EchoPeer:
    """One browser's test peer. `close()` must be called when the test ends."""

    def __init__(self, *, stun_urls: list[str]) -> None:
        servers = [RTCIceServer(urls=stun_urls)] if stun_urls else []
        # An explicit empty list: aiortc would otherwise ask a public STUN server.
        self.pc = RTCPeerConnection(RTCConfiguration(iceServers=servers))
        self.channels: dict[str, RTCDataChannel] = {}
        self.bulk_received = 0
        self.pc.on("datachannel", self._open)

    async def answer(self, offer_sdp: str) -> str:
        """The answer to the browser's offer, with all of our candidates (no trickling)."""
        await self.pc.setRemoteDescription(RTCSessionDescription(sdp=offer_sdp, type="offer"))
        await self.pc.setLocalDescription(await self.pc.createAnswer())
        return self.pc.localDescription.sdp

    async def close(self) -> None:
        await self.pc.close()

    def _open(self, channel: RTCDataChannel) -> None:
        if channel.label in self.channels or channel.label not in ("ping", "loss", "bulk"):
            channel.close()
            return
        self.channels[channel.label] = channel
        if channel.label == "bulk":
            channel.on("message", lambda message: self._count(channel, message))
        else:
            echoes = [0]
            channel.on("message", lambda message: self._echo(channel, message, echoes))

    @staticmethod
    def _echo(channel: RTCDataChannel, message: str | bytes, echoes: list[int]) -> None:
        echoes[0] += 1
        if echoes[0] > MAX_ECHOES or len(message) > MAX_ECHO_BYTES:
            channel.close()
            return
        channel.send(message)

    def _count(self, channel: RTCDataChannel, message: str | bytes) -> None:
        if isinstance(message, str):
            if message == "end":
                channel.send(str(self.bulk_received))
            return
        before = self.bulk_received
        self.bulk_received += len(message)
        if self.bulk_received > MAX_BULK_BYTES:
            channel.close()
        elif self.bulk_received // REPORT_EVERY != before // REPORT_EVERY:
            channel.send(str(self.bulk_received))
