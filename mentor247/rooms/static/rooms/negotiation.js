// The peer connection with the other side, and its signalling over the room's socket.
// Whoever was in the room first makes the offer when the other arrives, so the two do not
// usually offer at once; when they still do, "perfect negotiation" settles it: the mentee's
// side is polite (it yields), the mentor's is not. ICE restarts come from the mentor's side
// alone (see restart), so a network change seen by both sides never makes two offers.

const PEER_GRACE_MS = 10000; // how long a call waits for the other side's dropped socket
const ICE_GRACE_MS = 4000; // an ICE connection disconnected this long is restarted

// The same description again: the o= line names a session and its version.
function repeats(description, current) {
  const origin = (sdp) => (sdp.match(/^o=.*$/m) || [""])[0];
  if (!current || description.type !== current.type) return false;
  return origin(description.sdp) === origin(current.sdp);
}

export class Negotiation {
  // send(message) goes to the room's socket; outgoing() gives [track, stream] pairs to send;
  // onRemote(stream) shows the other side's picture (null when there is none);
  // onConnecting() when a new connection starts; onChange() when its state changes. The
  // connection's states are written on root's dataset (ice, signaling, connection).
  constructor({ root, send, outgoing, onRemote, onConnecting, onChange }) {
    Object.assign(this, { root, send, outgoing, onRemote, onConnecting, onChange });
    this.pc = null;
    this.peerClient = null; // the other side's page this connection is with
    this.polite = true;
    this.iceServers = [];
    this.makingOffer = false;
    this.ignoreOffer = false;
    this.signals = Promise.resolve(); // signals are handled one at a time, in order
    this.peerGone = null;
  }

  // Runs step after the signals before it.
  queue(step) {
    this.signals = this.signals.then(step).catch((error) => console.error(error));
  }

  configure({ polite, iceServers }) {
    this.polite = polite;
    this.iceServers = iceServers;
  }

  // A connection that is not up (or, when forced, one the other side finds down) gets new
  // ICE credentials. Only the mentor's side restarts ICE; the mentee's side asks it to. Two
  // restart offers crossing would have one side roll its own back, and a browser may then
  // stop showing the picture it receives. An offer still unanswered is sent again rather
  // than replaced: it may have been lost while the other side's socket was down, and a
  // repeated offer is answered with the same answer again (see onSignal).
  async restart(force) {
    const pc = this.pc;
    if (!pc || (!force && pc.connectionState === "connected")) return;
    if (this.polite) this.send({ type: "signal", data: { restart: true } });
    else if (pc.signalingState === "have-local-offer") {
      this.send({ type: "signal", data: { description: pc.localDescription } });
    } else pc.restartIce();
  }

  // The other side came in: a page of theirs this one has no connection with yet (or a new
  // one, after they reloaded) gets a new connection and an offer from here; the same page
  // back on a new socket gets an ICE restart if the connection dropped.
  ensurePeer(fromClient) {
    if (fromClient && this.peerClient && fromClient !== this.peerClient) this.close();
    if (fromClient) this.peerClient = fromClient;
    clearTimeout(this.peerGone);
    if (this.pc) {
      this.queue(() => this.restart());
      return;
    }
    this.onConnecting();
    const pc = new RTCPeerConnection({ iceServers: this.iceServers });
    this.pc = pc;
    for (const [track, stream] of this.outgoing()) pc.addTrack(track, stream);
    // Renegotiation (an ICE restart settled by a rollback, say) can bring new receivers: the
    // picture is made of the newest track of each kind.
    const received = {};
    pc.addEventListener("track", ({ track }) => {
      received[track.kind] = track; // the newest of each kind
      this.onRemote(new MediaStream(Object.values(received)));
    });
    pc.addEventListener("icecandidate", ({ candidate }) => {
      if (candidate) this.send({ type: "signal", data: { candidate } });
    });
    pc.addEventListener("negotiationneeded", async () => {
      try {
        this.makingOffer = true;
        await pc.setLocalDescription();
        this.send({ type: "signal", data: { description: pc.localDescription } });
      } catch (error) {
        console.error(error);
      } finally {
        this.makingOffer = false;
      }
    });
    // A failed ICE connection is restarted at once, a disconnected one if it stays so: after
    // a network change, the old pairs of addresses may never come back.
    const restartNow = () => this.queue(() => this.restart(true));
    let stillDown = null;
    pc.addEventListener("iceconnectionstatechange", () => {
      if (pc !== this.pc) return;
      this.root.dataset.ice = pc.iceConnectionState;
      clearTimeout(stillDown);
      if (pc.iceConnectionState === "failed") restartNow();
      else if (pc.iceConnectionState === "disconnected") {
        stillDown = setTimeout(() => {
          if (pc === this.pc && pc.iceConnectionState === "disconnected") restartNow();
        }, ICE_GRACE_MS);
      }
    });
    pc.addEventListener("signalingstatechange", () => {
      if (this.pc) this.root.dataset.signaling = this.pc.signalingState;
    });
    pc.addEventListener("connectionstatechange", () => {
      if (!this.pc) return;
      this.root.dataset.connection = this.pc.connectionState;
      this.onChange();
    });
  }

  // Their socket dropped. The call goes on while they reconnect, but not for long: the room
  // may have let them go (logged out, suspended), and media would not know.
  peerDropped(onGone) {
    clearTimeout(this.peerGone);
    this.peerGone = setTimeout(() => {
      this.close();
      onGone();
    }, PEER_GRACE_MS);
  }

  close() {
    if (this.pc) this.pc.close();
    this.pc = null;
    this.peerClient = null;
    this.onRemote(null);
    delete this.root.dataset.connection;
  }

  end() {
    this.close();
    clearTimeout(this.peerGone);
  }

  async onSignal(data, fromClient) {
    if (!data) return;
    if (data.restart) {
      if (this.pc && !this.polite) await this.restart(true);
      return;
    }
    // A signal from another page of theirs than the one connected here: start afresh.
    if (fromClient && this.peerClient && fromClient !== this.peerClient) this.close();
    if (fromClient) this.peerClient = fromClient;
    if (!this.pc) this.ensurePeer(null);
    const pc = this.pc;
    const { description, candidate } = data;
    if (description) {
      if (repeats(description, pc.remoteDescription)) {
        // Sent again (see restart): the answer given to it goes again; an answer is applied.
        if (description.type === "offer" && pc.signalingState === "stable") {
          this.send({ type: "signal", data: { description: pc.localDescription } });
        }
        return;
      }
      const collision =
        description.type === "offer" && (this.makingOffer || pc.signalingState !== "stable");
      this.ignoreOffer = !this.polite && collision;
      if (this.ignoreOffer) return;
      await pc.setRemoteDescription(description);
      if (description.type === "offer") {
        await pc.setLocalDescription();
        this.send({ type: "signal", data: { description: pc.localDescription } });
      }
    } else if (candidate) {
      try {
        await pc.addIceCandidate(candidate);
      } catch (error) {
        if (!this.ignoreOffer) throw error;
      }
    }
  }
}
