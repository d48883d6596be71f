// The network test: our server's own WebRTC peer answers over a WebSocket, and the browser
// measures round trips, loss and throughput over three data channels (see techcheck/peer.py
// for the server's side). Only figures come out of here; the server judges them.

export class NetworkTestError extends Error {
  constructor(code) {
    super(code);
    this.code = code; // "busy" (try later) or "failed" (could not measure)
  }
}

const PING_TIMEOUT_MS = 2000;
const BULK_SECONDS = 8;

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

// Resolves with true as soon as check() holds (polled every few milliseconds), or with false
// after timeoutMs. Times are taken in event handlers, not here.
function waitFor(check, timeoutMs) {
  return new Promise((resolve) => {
    const deadline = performance.now() + timeoutMs;
    const poll = () => {
      if (check()) resolve(true);
      else if (performance.now() >= deadline) resolve(false);
      else setTimeout(poll, 5);
    };
    poll();
  });
}

// A WebSocket whose JSON messages are read one at a time with next(timeoutMs).
function openSocket(url) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const queue = [];
    let waiter = null;
    let closed = false;
    const deliver = () => {
      if (waiter && (queue.length || closed)) {
        const { resolve: done } = waiter;
        waiter = null;
        done(queue.length ? queue.shift() : { type: "closed" });
      }
    };
    socket.addEventListener("message", (event) => {
      try {
        queue.push(JSON.parse(event.data));
      } catch {
        queue.push({ type: "error", code: "unreadable" });
      }
      deliver();
    });
    socket.addEventListener("close", () => {
      closed = true;
      deliver();
    });
    socket.addEventListener("error", () => reject(new NetworkTestError("failed")), { once: true });
    socket.addEventListener("open", () =>
      resolve({
        send: (message) => socket.send(JSON.stringify(message)),
        close: () => socket.close(),
        next: (timeoutMs) =>
          new Promise((done) => {
            waiter = { resolve: done };
            setTimeout(() => {
              if (waiter && waiter.resolve === done) {
                waiter = null;
                done({ type: "timeout" });
              }
            }, timeoutMs);
            deliver();
          }),
      }),
    );
  });
}

// Pings go out ping_interval_ms apart without waiting for each other, so a slow line costs one
// round trip, not twenty; one that never comes back counts as PING_TIMEOUT_MS.
async function measureRtt(channel, plan) {
  const sentAt = new Map();
  const times = new Map();
  const onMessage = (event) => {
    if (sentAt.has(event.data) && !times.has(event.data)) {
      times.set(event.data, performance.now() - sentAt.get(event.data));
    }
  };
  channel.addEventListener("message", onMessage);
  for (let index = 0; index < plan.pings; index += 1) {
    const ping = `ping ${index}`;
    sentAt.set(ping, performance.now());
    channel.send(ping);
    await sleep(plan.ping_interval_ms);
  }
  await waitFor(() => times.size >= plan.pings, PING_TIMEOUT_MS);
  channel.removeEventListener("message", onMessage);
  return median([...sentAt.keys()].map((ping) => times.get(ping) ?? PING_TIMEOUT_MS));
}

async function measureLoss(channel, plan, rttMs) {
  const back = new Set();
  const onMessage = (event) => back.add(event.data);
  channel.addEventListener("message", onMessage);
  for (let index = 0; index < plan.loss_packets; index += 1) {
    channel.send(`loss ${index}`);
    await sleep(plan.loss_interval_ms);
  }
  // Stragglers get a generous while; an echo later than that is lost for a call anyway.
  await waitFor(() => back.size >= plan.loss_packets, Math.max(1000, 4 * rttMs));
  channel.removeEventListener("message", onMessage);
  return (100 * (plan.loss_packets - Math.min(back.size, plan.loss_packets))) / plan.loss_packets;
}

async function measureThroughput(channel, plan, endBy) {
  const chunk = new Uint8Array(plan.chunk_bytes);
  let reported = 0;
  let reportedAt = 0;
  const onMessage = (event) => {
    const count = Number(event.data);
    if (Number.isFinite(count)) {
      reported = count;
      reportedAt = performance.now();
    }
  };
  channel.addEventListener("message", onMessage);
  channel.bufferedAmountLowThreshold = 256 * 1024;
  const start = performance.now();
  const deadline = Math.min(start + BULK_SECONDS * 1000, endBy);
  let sent = 0;
  while (sent < plan.bulk_bytes && performance.now() < deadline) {
    if (channel.bufferedAmount > 1024 * 1024) {
      await waitFor(() => channel.bufferedAmount <= 256 * 1024, deadline - performance.now());
      continue;
    }
    channel.send(chunk);
    sent += chunk.byteLength;
  }
  channel.send("end");
  const hearBy = Math.min(deadline + 2000, endBy + 1500);
  await waitFor(() => reported >= sent, Math.max(500, hearBy - performance.now()));
  channel.removeEventListener("message", onMessage);
  // bits per millisecond are kbit/s
  return reported && reportedAt > start ? (reported * 8) / (reportedAt - start) : 0;
}

function whenOpen(channel) {
  return channel.readyState === "open"
    ? Promise.resolve()
    : new Promise((resolve) => channel.addEventListener("open", resolve, { once: true }));
}

// Runs the whole test. onStage(name, fraction) tells of progress; resolves with
// {rtt_ms, loss_percent, throughput_kbps}, or rejects with a NetworkTestError.
export async function measureNetwork(socketUrl, onStage) {
  onStage("connecting", 0.05);
  const socket = await openSocket(socketUrl);
  const opened = performance.now();
  let peer = null;
  try {
    const hello = await socket.next(5000);
    if (hello.type === "busy") throw new NetworkTestError("busy");
    if (hello.type !== "hello") throw new NetworkTestError("failed");
    const { plan } = hello;
    // The server ends the test after hello.seconds: sending stops in time to hear the count.
    const endBy = opened + hello.seconds * 1000 - 3000;
    peer = new RTCPeerConnection({ iceServers: hello.iceServers });
    const ping = peer.createDataChannel("ping");
    const loss = peer.createDataChannel("loss", { ordered: false, maxRetransmits: 0 });
    const bulk = peer.createDataChannel("bulk");
    bulk.binaryType = "arraybuffer";
    await peer.setLocalDescription(await peer.createOffer());
    // Our server's peer does not take candidates one by one: send them all with the offer.
    await waitFor(() => peer.iceGatheringState === "complete", 3000);
    socket.send({ type: "offer", sdp: peer.localDescription.sdp });
    const answer = await socket.next(12000);
    if (answer.type !== "answer") throw new NetworkTestError("failed");
    await peer.setRemoteDescription({ type: "answer", sdp: answer.sdp });
    const open = Promise.all([whenOpen(ping), whenOpen(loss), whenOpen(bulk)]);
    if (!(await Promise.race([open.then(() => true), sleep(10000).then(() => false)]))) {
      throw new NetworkTestError("failed");
    }
    onStage("rtt", 0.2);
    const rtt = await measureRtt(ping, plan);
    onStage("loss", 0.4);
    const lossPercent = await measureLoss(loss, plan, rtt);
    onStage("throughput", 0.6);
    const kbps = await measureThroughput(bulk, plan, endBy);
    onStage("done", 1);
    return {
      rtt_ms: Math.round(rtt * 10) / 10,
      loss_percent: Math.round(lossPercent * 10) / 10,
      throughput_kbps: Math.round(kbps),
    };
  } catch (error) {
    throw error instanceof NetworkTestError ? error : new NetworkTestError("failed");
  } finally {
    if (peer) peer.close();
    socket.close();
  }
}
