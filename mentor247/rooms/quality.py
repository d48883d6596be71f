"""The connection summary of a stay in a room, from the samples the browser sends during the
call (rooms.consumers): which kinds of ICE candidate carried it, and percentiles of round-trip
time and packet loss."""

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeGuard

CANDIDATE_TYPES = frozenset({"host", "srflx", "prflx", "relay"})
MAX_SAMPLES = 1440  # two hours at one sample each five seconds


@dataclass
class Samples:
    rtt_ms: list[float] = field(default_factory=list)
    loss_percent: list[float] = field(default_factory=list)
    candidates: set[str] = field(default_factory=set)
    taken: int = 0

    def add(self, sample: dict[str, Any]) -> None:
        """Takes one sample from the browser, ignoring what is malformed, up to MAX_SAMPLES."""
        if self.taken >= MAX_SAMPLES:
            return
        self.taken += 1
        rtt, loss = sample.get("rtt_ms"), sample.get("loss_percent")
        if _number(rtt) and 0 <= rtt < 60_000:
            self.rtt_ms.append(float(rtt))
        if _number(loss) and 0 <= loss <= 100:
            self.loss_percent.append(float(loss))
        for key in ("local_candidate", "remote_candidate"):
            kind = sample.get(key)
            if isinstance(kind, str) and kind in CANDIDATE_TYPES:
                self.candidates.add(f"{key.split('_')[0]}:{kind}")

    def summary(self) -> dict[str, Any]:
        return {
            "samples": max(len(self.rtt_ms), len(self.loss_percent)),
            "candidates": sorted(self.candidates),
            "rtt_ms": percentiles(self.rtt_ms),
            "loss_percent": percentiles(self.loss_percent),
        }


def _number(value: object) -> TypeGuard[int | float]:
    """Whether `value` is a JSON number (a boolean is not one)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def percentiles(values: Iterable[float]) -> dict[str, float] | None:
    """The median, 95th percentile and maximum (nearest rank), or None without values."""
    ordered = sorted(values)
    if not ordered:
        return None

    def rank(share: float) -> float:
        return round(ordered[max(0, math.ceil(share * len(ordered)) - 1)], 1)

    return {"p50": rank(0.5), "p95": rank(0.95), "max": round(ordered[-1], 1)}
