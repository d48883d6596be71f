// The room: green room (self-view, devices, microphone level, the mentor's checklist), then
// the 1:1 call over WebRTC with signalling on the room's WebSocket (rooms/consumers.py).
// Whoever was in the room first makes the offer when the other arrives, so the two do not
// usually offer at once; when they still do, "perfect negotiation" settles it: the mentee's
// side is polite (it yields), the mentor's is not. ICE restarts come from the mentor's side
// alone (see restart), so a network change seen by both sides never makes two offers.

const root = document.getElementById("room");
const strings = JSON.parse(document.getElementById("room-strings").textContent);
const byId = (id) => document.getElementById(id);
const isMentor = root.dataset.mentor === "true";
const endsAt = Date.parse(root.dataset.endsAt);
const otherName = root.dataset.otherName;
const me = root.dataset.me;
// Identifies this page's peer connection: a peer that comes back with another one (a
// reloaded page) needs a new connection, one that only lost its socket does not.
const client = crypto.randomUUID();

const selfView = byId("self-view");
const localVideo = byId("local-video");
const remoteVideo = byId("remote-video");
const remoteStatus = byId("remote-status");
const cameraSelect = byId("camera-select");
const micSelect = byId("mic-select");
const doorMessage = byId("door-message");

let stream = null;
let screenTrack = null;
let cameraOn = true;
let micOn = true;
let socket = null;
let pc = null;
let peerClient = null;
let polite = true;
let makingOffer = false;
let ignoreOffer = false;
let joined = false; // the room has taken this page's current socket
let inCall = false; // this page has been in the call (and keeps reconnecting)
let lastRefusal = "";
let left = false;
let iceServers = [];
let reconnectDelay = 500;
let peerCameraOn = true;
let signals = Promise.resolve();
let peerGone = null;
let heard = 0; // when this page's socket last brought a message
const PEER_GRACE_MS = 10000;
const PING_MS = 4000;
const SILENCE_MS = 10000; // a socket silent this long is given up for a new one
const ICE_GRACE_MS = 4000; // an ICE connection disconnected this long is restarted

function say(element, text) {
  element.textContent = text;
  element.hidden = !text;
}

// Media -----------------------------------------------------------------------------------

function mediaMessage(error) {
  switch (error && error.name) {
    case "NotAllowedError":
    case "SecurityError":
      return strings.denied;
    case "NotFoundError":
    case "OverconstrainedError":
      return strings.no_device;
    case "NotReadableError":
    case "AbortError":
      return strings.busy;
    default:
      return strings.media_error;
  }
}

async function startMedia() {
  const constraints = {
    video: cameraSelect.value ? { deviceId: { exact: cameraSelect.value } } : true,
    audio: micSelect.value ? { deviceId: { exact: micSelect.value } } : true,
  };
  let fresh;
  try {
    fresh = await navigator.mediaDevices.getUserMedia(constraints);
  } catch (error) {
    say(doorMessage, mediaMessage(error));
    return false;
  }
  say(doorMessage, "");
  if (stream) stream.getTracks().forEach((track) => track.stop());
  stream = fresh;
  stream.getVideoTracks().forEach((track) => (track.enabled = cameraOn));
  stream.getAudioTracks().forEach((track) => (track.enabled = micOn));
  selfView.srcObject = stream;
  if (!screenTrack) localVideo.srcObject = stream;
  if (pc) {
    for (const sender of pc.getSenders()) {
      const track = stream.getTracks().find((t) => sender.track && t.kind === sender.track.kind);
      if (track && !(screenTrack && track.kind === "video")) await sender.replaceTrack(track);
    }
  }
  listenToMicrophone(stream);
  await listDevices();
  return true;
}

async function listDevices() {
  const found = await navigator.mediaDevices.enumerateDevices();
  for (const [select, kind, track] of [
    [cameraSelect, "videoinput", stream && stream.getVideoTracks()[0]],
    [micSelect, "audioinput", stream && stream.getAudioTracks()[0]],
  ]) {
    const current = track && track.getSettings().deviceId;
    select.replaceChildren(
      ...found
        .filter((device) => device.kind === kind)
        .map((device, index) => {
          const unnamed = kind === "videoinput" ? strings.camera_n : strings.microphone_n;
          const option = new Option(
            device.label || unnamed.replace("%(n)s", index + 1),
            device.deviceId,
          );
          option.selected = device.deviceId === current;
          return option;
        }),
    );
  }
}

let audioContext = null;
let meterTimer = null;

function listenToMicrophone(media) {
  const meter = byId("mic-level");
  if (!media.getAudioTracks().length) return;
  audioContext = audioContext || new AudioContext();
  const analyser = audioContext.createAnalyser();
  analyser.fftSize = 1024;
  audioContext.createMediaStreamSource(media).connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  clearInterval(meterTimer);
  meterTimer = setInterval(() => {
    analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const sample of samples) sum += sample * sample;
    meter.value = Math.min(1, Math.sqrt(sum / samples.length) * 4);
  }, 100);
}

function setCamera(on) {
  cameraOn = on;
  if (stream) stream.getVideoTracks().forEach((track) => (track.enabled = on));
  const button = byId("camera");
  button.textContent = on ? strings.camera_off : strings.camera_on;
  button.setAttribute("aria-pressed", String(!on));
  byId("camera-toggle").checked = on;
  if (joined) send({ type: "camera", on });
  say(byId("call-warning"), isMentor && !on ? strings.you_camera_off : "");
}

function setMicrophone(on) {
  micOn = on;
  if (stream) stream.getAudioTracks().forEach((track) => (track.enabled = on));
  const button = byId("mute");
  button.textContent = on ? strings.mute : strings.unmute;
  button.setAttribute("aria-pressed", String(!on));
}

async function stopSharing() {
  if (!screenTrack) return;
  screenTrack.stop(); // stopping it ourselves fires no "ended"
  screenTrack = null;
  const sender = pc && pc.getSenders().find((s) => s.track && s.track.kind === "video");
  if (sender && stream) await sender.replaceTrack(stream.getVideoTracks()[0]);
  localVideo.srcObject = stream;
  const button = byId("share");
  button.textContent = strings.share;
  button.setAttribute("aria-pressed", "false");
}

async function toggleShare() {
  const button = byId("share");
  const sender = pc && pc.getSenders().find((s) => s.track && s.track.kind === "video");
  if (screenTrack) {
    await stopSharing();
    return;
  }
  let display;
  try {
    display = await navigator.mediaDevices.getDisplayMedia({ video: true });
  } catch {
    return;
  }
  screenTrack = display.getVideoTracks()[0];
  if (sender) await sender.replaceTrack(screenTrack);
  localVideo.srcObject = display;
  button.textContent = strings.stop_share;
  button.setAttribute("aria-pressed", "true");
  screenTrack.addEventListener("ended", stopSharing); // the browser's own "stop sharing"
}

// Signalling --------------------------------------------------------------------------------

// Signals wait while the socket is down and go out once the room has taken this page back;
// other messages (camera, stats, chat) are only worth sending now.
let pendingSignals = [];

function send(message) {
  if (joined && socket && socket.readyState === WebSocket.OPEN) {
    socket.send(JSON.stringify(message));
  } else if (message.type === "signal") {
    pendingSignals.push(message);
  } else if (message.type === "join" && socket && socket.readyState === WebSocket.OPEN) {
    socket.send(JSON.stringify(message));
  }
}

// A connection that is not up (or, when forced, one the other side finds down) gets new ICE
// credentials. Only the mentor's side restarts ICE; the mentee's side asks it to. Two
// restart offers crossing would have one side roll its own back, and a browser may then stop
// showing the picture it receives. An offer still unanswered is sent again rather than
// replaced: it may have been lost while the other side's socket was down, and a repeated
// offer is answered with the same answer again (see onSignal).
async function restart(force) {
  if (!pc || (!force && pc.connectionState === "connected")) return;
  if (polite) send({ type: "signal", data: { restart: true } });
  else if (pc.signalingState === "have-local-offer") {
    send({ type: "signal", data: { description: pc.localDescription } });
  } else pc.restartIce();
}

function checklistDone() {
  const boxes = document.querySelectorAll("#checklist input[type=checkbox]");
  return Array.from(boxes).every((box) => box.checked);
}

function connect() {
  const scheme = location.protocol === "https:" ? "wss://" : "ws://";
  const ws = new WebSocket(scheme + location.host + root.dataset.socket);
  socket = ws;
  heard = Date.now();
  let opened = false;
  ws.addEventListener("open", () => {
    opened = true;
    const video = stream && stream.getVideoTracks()[0];
    send({
      type: "join",
      client,
      camera: Boolean(cameraOn && video && video.readyState === "live"),
      checklist: checklistDone(),
    });
  });
  ws.addEventListener("message", (event) => {
    if (ws !== socket) return; // a socket given up (see the heartbeat below)
    heard = Date.now();
    handle(JSON.parse(event.data));
  });
  ws.addEventListener("close", (event) => {
    if (left || ws !== socket) return;
    if (event.code === 4403) {
      if (inCall) finish(lastRefusal || strings.left);
      else byId("join").disabled = false;
      joined = false;
    } else if (event.code === 4410 || event.code === 4409) {
      finish(event.code === 4409 ? strings.replaced : null);
    } else if (inCall && !opened) {
      // The socket did not open: the network is down, or the room no longer takes this page
      // (logged out, say). The page itself tells which.
      stillOurs().then((ours) => (ours ? reconnect() : finish(strings.left)));
    } else if (inCall) {
      reconnect();
    } else {
      byId("join").disabled = false;
    }
  });
}

async function stillOurs() {
  try {
    const options = { method: "HEAD", redirect: "manual", cache: "no-store" };
    const page = await fetch(location.href, options);
    return page.type !== "opaqueredirect" && page.status !== 404;
  } catch {
    return true; // not reachable now: the network may come back
  }
}

function reconnect() {
  joined = false;
  say(remoteStatus, strings.reconnecting);
  root.dataset.socketState = "reconnecting";
  setTimeout(connect, reconnectDelay);
  reconnectDelay = Math.min(reconnectDelay * 2, 5000);
}

// A socket can die without closing when the network under it changes: nothing arrives and
// nothing sent gets through. The room answers each ping, so a socket that has heard nothing
// for a while is given up (its late events ignored) and a new one opened.
setInterval(() => {
  if (!joined || left) return;
  if (Date.now() - heard < SILENCE_MS) {
    send({ type: "ping" });
    return;
  }
  const dead = socket;
  socket = null;
  dead.close();
  reconnect();
}, PING_MS);

function handle(message) {
  switch (message.type) {
    case "refused":
      lastRefusal = message.message;
      say(doorMessage, message.message);
      break;
    case "joined":
      joined = true;
      inCall = true;
      reconnectDelay = 500;
      root.dataset.socketState = "open";
      polite = message.polite;
      iceServers = message.ice_servers;
      byId("green-room").hidden = true;
      byId("call").hidden = false;
      if (message.warning) say(byId("call-warning"), message.warning);
      send({ type: "camera", on: cameraOn });
      for (const signal of pendingSignals.splice(0)) send(signal);
      if (pc) {
        // Back on a new socket with the call still up: restart ICE if it dropped meanwhile.
        signals = signals.then(restart).catch((error) => console.error(error));
      } else {
        // The one already in the room makes the offer (see "peer" below).
        say(remoteStatus, message.peer_present ? strings.connecting : strings.waiting);
      }
      break;
    case "peer":
      if (message.event === "joined") ensurePeer(message.client);
      else if (message.deliberate) {
        closePeer();
        say(remoteStatus, strings.peer_left);
      } else {
        // Their socket dropped. The call goes on while they reconnect, but not for long:
        // the room may have let them go (logged out, suspended), and media would not know.
        clearTimeout(peerGone);
        peerGone = setTimeout(() => {
          closePeer();
          say(remoteStatus, strings.peer_left);
        }, PEER_GRACE_MS);
      }
      break;
    case "signal":
      signals = signals
        .then(() => onSignal(message.data, message.client))
        .catch((error) => console.error(error));
      break;
    case "camera":
      peerCameraOn = message.on;
      root.dataset.peerCamera = message.on ? "on" : "off";
      showRemoteStatus();
      break;
    case "chat":
      addChatLine(message.line);
      break;
    case "agenda":
      showCovered(message.covered);
      break;
    case "wrap_up":
      refreshWrapUp();
      break;
    case "ended":
      finish(message.message);
      break;
    case "error":
      say(byId("call-warning"), message.message);
      break;
  }
}

// The other side came in: a page of theirs this one has no connection with yet (or a new
// one, after they reloaded) gets a new connection and an offer from here; the same page back
// on a new socket gets an ICE restart if the connection dropped.
function ensurePeer(fromClient) {
  if (fromClient && peerClient && fromClient !== peerClient) closePeer();
  if (fromClient) peerClient = fromClient;
  clearTimeout(peerGone);
  if (pc) {
    signals = signals.then(restart).catch((error) => console.error(error));
    return;
  }
  say(remoteStatus, strings.connecting);
  pc = new RTCPeerConnection({ iceServers });
  for (const track of stream.getTracks()) {
    pc.addTrack(track.kind === "video" && screenTrack ? screenTrack : track, stream);
  }
  // Renegotiation (an ICE restart settled by a rollback, say) can bring new receivers: the
  // picture is made of the newest track of each kind.
  const received = {};
  pc.addEventListener("track", ({ track }) => {
    received[track.kind] = track; // the newest of each kind
    remoteVideo.srcObject = new MediaStream(Object.values(received));
    // A browser that will not start sound on its own shows the player's own play button.
    remoteVideo.play().catch((error) => {
      if (error.name === "NotAllowedError") remoteVideo.controls = true;
    });
  });
  pc.addEventListener("icecandidate", ({ candidate }) => {
    if (candidate) send({ type: "signal", data: { candidate } });
  });
  pc.addEventListener("negotiationneeded", async () => {
    try {
      makingOffer = true;
      await pc.setLocalDescription();
      send({ type: "signal", data: { description: pc.localDescription } });
    } catch (error) {
      console.error(error);
    } finally {
      makingOffer = false;
    }
  });
  // A failed ICE connection is restarted at once, a disconnected one if it stays so: after
  // a network change, the old pairs of addresses may never come back.
  const restartNow = () => {
    signals = signals.then(() => restart(true)).catch((error) => console.error(error));
  };
  const connection = pc;
  let stillDown = null;
  pc.addEventListener("iceconnectionstatechange", () => {
    if (connection !== pc) return;
    root.dataset.ice = pc.iceConnectionState;
    clearTimeout(stillDown);
    if (pc.iceConnectionState === "failed") restartNow();
    else if (pc.iceConnectionState === "disconnected") {
      stillDown = setTimeout(() => {
        if (connection === pc && pc.iceConnectionState === "disconnected") restartNow();
      }, ICE_GRACE_MS);
    }
  });
  pc.addEventListener("signalingstatechange", () => {
    if (pc) root.dataset.signaling = pc.signalingState;
  });
  pc.addEventListener("connectionstatechange", () => {
    if (!pc) return;
    root.dataset.connection = pc.connectionState;
    showRemoteStatus();
  });
}

function closePeer() {
  if (pc) pc.close();
  pc = null;
  peerClient = null;
  remoteVideo.srcObject = null;
  delete root.dataset.connection;
}

// The same description again: the o= line names a session and its version.
function repeats(description, current) {
  const origin = (sdp) => (sdp.match(/^o=.*$/m) || [""])[0];
  if (!current || description.type !== current.type) return false;
  return origin(description.sdp) === origin(current.sdp);
}

async function onSignal(data, fromClient) {
  if (!data) return;
  if (data.restart) {
    if (pc && !polite) await restart(true);
    return;
  }
  // A signal from another page of theirs than the one connected here: start afresh.
  if (fromClient && peerClient && fromClient !== peerClient) closePeer();
  if (fromClient) peerClient = fromClient;
  if (!pc) ensurePeer(null);
  const { description, candidate } = data;
  if (description) {
    if (repeats(description, pc.remoteDescription)) {
      // Sent again (see restart): the answer given to it goes again; an answer is applied.
      if (description.type === "offer" && pc.signalingState === "stable") {
        send({ type: "signal", data: { description: pc.localDescription } });
      }
      return;
    }
    const collision = description.type === "offer" && (makingOffer || pc.signalingState !== "stable");
    ignoreOffer = !polite && collision;
    if (ignoreOffer) return;
    await pc.setRemoteDescription(description);
    if (description.type === "offer") {
      await pc.setLocalDescription();
      send({ type: "signal", data: { description: pc.localDescription } });
    }
  } else if (candidate) {
    try {
      await pc.addIceCandidate(candidate);
    } catch (error) {
      if (!ignoreOffer) throw error;
    }
  }
}

// Quality, time and status -----------------------------------------------------------------

const quality = { shown: null, candidate: null, streak: 0 };
let framesDecoded = 0;
let stalledSamples = 0;
let sampleCount = 0;
let lastPackets = { lost: 0, received: 0 };

function level(rttSeconds, lossPercent) {
  if (rttSeconds < 0.3 && lossPercent < 2) return "good";
  if (rttSeconds < 0.6 && lossPercent < 8) return "fair";
  return "poor";
}

async function measure() {
  if (!pc || pc.connectionState !== "connected") return;
  const report = await pc.getStats();
  let rtt = null;
  let pair = null;
  let decoded = framesDecoded;
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
  const newLost = lost - lastPackets.lost;
  const newReceived = received - lastPackets.received;
  lastPackets = { lost, received };
  const loss = newLost + newReceived > 0 ? (100 * Math.max(0, newLost)) / (newLost + newReceived) : 0;
  if (decoded < framesDecoded) framesDecoded = 0; // a new receiver counts from zero
  stalledSamples = decoded > framesDecoded ? 0 : stalledSamples + 1;
  framesDecoded = decoded;
  // Hysteresis: the shown level changes only after three samples in a row agree.
  const now = level(rtt === null ? 0 : rtt, loss);
  if (now === quality.candidate) quality.streak += 1;
  else Object.assign(quality, { candidate: now, streak: 1 });
  if (quality.shown === null || (quality.streak >= 3 && now !== quality.shown)) {
    quality.shown = now;
    const indicator = byId("quality");
    indicator.textContent = strings[`quality_${now}`];
    indicator.dataset.level = now;
  }
  showRemoteStatus();
  sampleCount += 1;
  if (sampleCount % 5 === 0 && rtt !== null) {
    const local = pair && report.get(pair.localCandidateId);
    const remote = pair && report.get(pair.remoteCandidateId);
    send({
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

function showRemoteStatus() {
  if (!pc) return;
  let text = "";
  if (root.dataset.socketState === "reconnecting") text = strings.reconnecting;
  else if (pc.connectionState !== "connected") text = strings.connecting;
  else if (!peerCameraOn) text = strings.peer_camera_off;
  else if (stalledSamples >= 2) text = strings.video_not_arriving;
  root.dataset.remoteStatus = text ? text : "";
  remoteStatus.textContent = text;
}

function showTime() {
  const seconds = Math.round((endsAt - Date.now()) / 1000);
  const element = byId("remaining");
  if (seconds <= 0) {
    element.textContent = strings.overtime;
    return;
  }
  const h = Math.floor(seconds / 3600);
  const m = String(Math.floor((seconds % 3600) / 60)).padStart(2, "0");
  const s = String(seconds % 60).padStart(2, "0");
  element.textContent = strings.remaining.replace("%(time)s", h ? `${h}:${m}:${s}` : `${m}:${s}`);
}

// Chat, agenda and wrap-up ------------------------------------------------------------------

function addChatLine(line) {
  const log = byId("chat-log");
  if (log.querySelector(`li[data-id="${line.id}"]`)) return;
  const item = document.createElement("li");
  item.dataset.id = line.id;
  const who = document.createElement("strong");
  who.textContent = `${String(line.author) === me ? strings.you : otherName}:`;
  item.append(who, " ", line.text);
  log.append(item);
}

function showCovered(covered) {
  for (const item of document.querySelectorAll("#agenda-points li[data-point]")) {
    const done = covered.includes(item.dataset.point);
    const tick = item.querySelector(".tick");
    tick.dataset.covered = done ? "yes" : "no";
    tick.textContent = done ? strings.covered : strings.to_cover;
  }
}

async function refreshWrapUp() {
  const target = byId("wrap-up-shown");
  if (!target) return;
  const response = await fetch(location.href, { credentials: "same-origin" });
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  const fresh = page.getElementById("wrap-up-shown");
  if (fresh) target.replaceChildren(...fresh.childNodes);
}

// Entering and leaving ----------------------------------------------------------------------

function finish(message) {
  left = true;
  closePeer();
  if (socket) socket.close();
  if (stream) stream.getTracks().forEach((track) => track.stop());
  if (screenTrack) screenTrack.stop();
  clearTimeout(peerGone);
  clearInterval(meterTimer);
  byId("call").hidden = true;
  byId("green-room").hidden = true;
  say(byId("left-message"), message || strings.left);
}

byId("join").addEventListener("click", async () => {
  byId("join").disabled = true;
  say(doorMessage, "");
  if (audioContext) audioContext.resume();
  if (!stream && !(await startMedia())) {
    byId("join").disabled = false;
    return;
  }
  connect();
});
byId("camera-toggle").addEventListener("change", (event) => setCamera(event.target.checked));
cameraSelect.addEventListener("change", startMedia);
micSelect.addEventListener("change", startMedia);
byId("mute").addEventListener("click", () => setMicrophone(!micOn));
byId("camera").addEventListener("click", () => setCamera(!cameraOn));
byId("share").addEventListener("click", toggleShare);
byId("leave").addEventListener("click", () => {
  send({ type: "leave" });
  finish(null);
});
byId("chat-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = byId("chat-text");
  const text = input.value.trim();
  if (!text) return;
  send({ type: "chat", text });
  input.value = "";
});
if (!navigator.mediaDevices || !navigator.mediaDevices.getDisplayMedia) byId("share").hidden = true;
navigator.mediaDevices.addEventListener("devicechange", listDevices);

startMedia();
showTime();
setInterval(showTime, 1000);
setInterval(() => measure().catch((error) => console.error(error)), 2000);
