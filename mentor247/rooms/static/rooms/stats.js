// The call's connection, from the peer connection's statistics every two seconds: the level
// shown (good, fair or poor, by the quality table of techcheck/verdict.py), whether the other
// side's video is still being decoded, and a sample for the room every fifth time.

import { levelOf } from "../media/quality.js";

const CALL_LEVELS = { good: "good", warning: "fair", bad: "poor" };

// The round trip here is between the two browsers: each way is half of it, and the table is
// of one way's delay.
export function callLevel(rttSeconds, lossPercent) {
  return CALL_LEVELS[levelOf({ delayMs: (rttSeconds * 1000) / 2, lossPercent })];
}

export class CallStats {
  // onLevel(level) when the level shown changes; send(message) for the room's samples.
  constructor({ onLevel, send }) {
    Object.assign(this, { onLevel, send });
    this.shown = null;
    this.candidate = null;
    this.streak = 0;
    this.framesDecoded = 0;
    this.stalledSamples = 0;
    this.sampleCount = 0;
    this.lastPackets = { lost: 0, received: 0 };
  }

  // Whether the other side's video has stopped being decoded.
  get stalled() {
    return this.stalledSamples >= 2;
  }

  async measure(pc) {
    if (!pc || pc.connectionState !== "connected") return;
    const report = await pc.getStats();
    let rtt = null;
    let pair = null;
    let decoded = this.framesDecoded;
    let lost = 0;
    let received = 0;
    report.forEach((stat) => {
      if (stat.type === "transport" && stat.selectedCandidatePairId) {
        pair = report.get(stat.selectedCandidatePairId);
      }
      if (stat.type === "inbound-rtp") {
        lost += stat.packetsLost || 0;
        received += stat.packetsReceived || 0;
        if (stat.kind === "video") decoded = stat.framesDecoded || 0;
      }
    });
    if (pair && pair.currentRoundTripTime !== undefined) rtt = pair.currentRoundTripTime;
    const newLost = lost - this.lastPackets.lost;
    const newReceived = received - this.lastPackets.received;
    this.lastPackets = { lost, received };
    const loss =
      newLost + newReceived > 0 ? (100 * Math.max(0, newLost)) / (newLost + newReceived) : 0;
    if (decoded < this.framesDecoded) this.framesDecoded = 0; // a new receiver counts from zero
    this.stalledSamples = decoded > this.framesDecoded ? 0 : this.stalledSamples + 1;
    this.framesDecoded = decoded;
    // Hysteresis: the shown level changes only after three samples in a row agree.
    const now = callLevel(rtt === null ? 0 : rtt, loss);
    if (now === this.candidate) this.streak += 1;
    else Object.assign(this, { candidate: now, streak: 1 });
    if (this.shown === null || (this.streak >= 3 && now !== this.shown)) {
      this.shown = now;
      this.onLevel(now);
    }
    this.sampleCount += 1;
    if (this.sampleCount % 5 === 0 && rtt !== null) {
      const local = pair && report.get(pair.localCandidateId);
      const remote = pair && report.get(pair.remoteCandidateId);
      this.send({
        type: "stats",
        sample: {
          rtt_ms: rtt * 1000,
          loss_percent: loss,
          local_candidate: local && local.candidateType,
          remote_candidate: remote && remote.candidateType,
        },
      });
    }
  }
}
