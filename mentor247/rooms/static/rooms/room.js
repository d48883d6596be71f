// The room: green room (self-view, devices, microphone level, the mentor's checklist), then
// the 1:1 call over WebRTC with signalling on the room's WebSocket (rooms/consumers.py).
// This module wires the page to the parts: media.js (camera, microphone, screen), socket.js
// (the socket, its heartbeat and reconnecting), negotiation.js (the peer connection),
// stats.js (the connection's quality) and chat.js (chat, agenda and wrap-up).

import { audioContext } from "../media/devices.js";
import { texts } from "../media/texts.js";
import { addChatLine, onChatSubmit, refreshWrapUp, showCovered } from "./chat.js";
import { LocalMedia } from "./media.js";
import { Negotiation } from "./negotiation.js";
import { RoomSocket } from "./socket.js";
import { CallStats } from "./stats.js";

const root = document.getElementById("room");
const text = texts("room-strings");
const byId = (id) => document.getElementById(id);
const isMentor = root.dataset.mentor === "true";
const endsAt = Date.parse(root.dataset.endsAt);
// Identifies this page's peer connection: a peer that comes back with another one (a
// reloaded page) needs a new connection, one that only lost its socket does not.
const client = crypto.randomUUID();

const remoteVideo = byId("remote-video");
const remoteStatus = byId("remote-status");
const doorMessage = byId("door-message");

// What the page is at: in the call once the room has taken it (and then it keeps
// reconnecting), the last refusal at the door, and whether the other side's camera is on.
const call = { inCall: false, lastRefusal: "", peerCameraOn: true };

function say(element, message) {
  element.textContent = message;
  element.hidden = !message;
}

const socket = new RoomSocket(
  (location.protocol === "https:" ? "wss://" : "ws://") + location.host + root.dataset.socket,
  { onOpen: join, onMessage: handle, onClose: closed, onReconnecting: reconnecting },
);
const send = (message) => socket.send(message);
const media = new LocalMedia({
  connection: () => negotiation.pc,
  text,
  onProblem: (message) => say(doorMessage, message),
});
const negotiation = new Negotiation({
  root,
  send,
  outgoing: () => media.outgoing(),
  onRemote: showRemote,
  onConnecting: () => say(remoteStatus, text("connecting")),
  onChange: showRemoteStatus,
});
const stats = new CallStats({
  send,
  onLevel: (level) => {
    const indicator = byId("quality");
    indicator.textContent = text(`quality_${level}`);
    indicator.dataset.level = level;
  },
});

// Media -----------------------------------------------------------------------------------

function setCamera(on) {
  media.setCamera(on);
  const button = byId("camera");
  button.textContent = text(on ? "camera_off" : "camera_on");
  button.setAttribute("aria-pressed", String(!on));
  byId("camera-toggle").checked = on;
  if (socket.joined) send({ type: "camera", on });
  say(byId("call-warning"), isMentor && !on ? text("you_camera_off") : "");
}

function setMicrophone(on) {
  media.setMicrophone(on);
  const button = byId("mute");
  button.textContent = text(on ? "mute" : "unmute");
  button.setAttribute("aria-pressed", String(!on));
}

function showRemote(stream) {
  remoteVideo.srcObject = stream;
  if (!stream) return;
  // A browser that will not start sound on its own shows the player's own play button.
  remoteVideo.play().catch((error) => {
    if (error.name === "NotAllowedError") remoteVideo.controls = true;
  });
}

// The socket ------------------------------------------------------------------------------

function checklistDone() {
  const boxes = document.querySelectorAll("#checklist input[type=checkbox]");
  return Array.from(boxes).every((box) => box.checked);
}

function join() {
  send({ type: "join", client, camera: media.liveCamera, checklist: checklistDone() });
}

function closed(code, opened) {
  if (code === 4403) {
    if (call.inCall) finish(call.lastRefusal || text("left"));
    else byId("join").disabled = false;
    socket.joined = false;
  } else if (code === 4410 || code === 4409) {
    finish(code === 4409 ? text("replaced") : null);
  } else if (call.inCall && !opened) {
    // The socket did not open: the network is down, or the room no longer takes this page
    // (logged out, say). The page itself tells which.
    stillOurs().then((ours) => (ours ? socket.reconnect() : finish(text("left"))));
  } else if (call.inCall) {
    socket.reconnect();
  } else {
    byId("join").disabled = false;
  }
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

function reconnecting() {
  say(remoteStatus, text("reconnecting"));
  root.dataset.socketState = "reconnecting";
}

function handle(message) {
  switch (message.type) {
    case "refused":
      call.lastRefusal = message.message;
      say(doorMessage, message.message);
      break;
    case "joined":
      socket.taken();
      call.inCall = true;
      root.dataset.socketState = "open";
      negotiation.configure({ polite: message.polite, iceServers: message.ice_servers });
      byId("green-room").hidden = true;
      byId("call").hidden = false;
      if (message.warning) say(byId("call-warning"), message.warning);
      send({ type: "camera", on: media.cameraOn });
      socket.flush();
      if (negotiation.pc) {
        // Back on a new socket with the call still up: restart ICE if it dropped meanwhile.
        negotiation.queue(() => negotiation.restart());
      } else {
        // The one already in the room makes the offer (see "peer" below).
        say(remoteStatus, text(message.peer_present ? "connecting" : "waiting"));
      }
      break;
    case "peer":
      if (message.event === "joined") negotiation.ensurePeer(message.client);
      else if (message.deliberate) {
        negotiation.close();
        say(remoteStatus, text("peer_left"));
      } else {
        negotiation.peerDropped(() => say(remoteStatus, text("peer_left")));
      }
      break;
    case "signal":
      negotiation.queue(() => negotiation.onSignal(message.data, message.client));
      break;
    case "camera":
      call.peerCameraOn = message.on;
      root.dataset.peerCamera = message.on ? "on" : "off";
      showRemoteStatus();
      break;
    case "chat":
      addChatLine(message.line, {
        me: root.dataset.me,
        you: text("you"),
        otherName: root.dataset.otherName,
      });
      break;
    case "agenda":
      showCovered(message.covered, { coveredText: text("covered"), toCoverText: text("to_cover") });
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

// Time and status -------------------------------------------------------------------------

function showRemoteStatus() {
  const pc = negotiation.pc;
  if (!pc) return;
  let message = "";
  if (root.dataset.socketState === "reconnecting") message = text("reconnecting");
  else if (pc.connectionState !== "connected") message = text("connecting");
  else if (!call.peerCameraOn) message = text("peer_camera_off");
  else if (stats.stalled) message = text("video_not_arriving");
  root.dataset.remoteStatus = message;
  remoteStatus.textContent = message;
}

function showTime() {
  const seconds = Math.round((endsAt - Date.now()) / 1000);
  const element = byId("remaining");
  if (seconds <= 0) {
    element.textContent = text("overtime");
    return;
  }
  const h = Math.floor(seconds / 3600);
  const m = String(Math.floor((seconds % 3600) / 60)).padStart(2, "0");
  const s = String(seconds % 60).padStart(2, "0");
  element.textContent = text("remaining", { time: h ? `${h}:${m}:${s}` : `${m}:${s}` });
}

async function measure() {
  const pc = negotiation.pc;
  if (!pc || pc.connectionState !== "connected") return;
  await stats.measure(pc);
  showRemoteStatus();
}

// Entering and leaving ----------------------------------------------------------------------

function finish(message) {
  socket.end();
  negotiation.end();
  media.stop();
  byId("call").hidden = true;
  byId("green-room").hidden = true;
  say(byId("left-message"), message || text("left"));
}

byId("join").addEventListener("click", async () => {
  byId("join").disabled = true;
  say(doorMessage, "");
  audioContext(); // a click lets the microphone's meter run where the browser held it back
  if (!media.stream && !(await media.start())) {
    byId("join").disabled = false;
    return;
  }
  socket.connect();
});
byId("camera-toggle").addEventListener("change", (event) => setCamera(event.target.checked));
byId("camera-select").addEventListener("change", () => media.start());
byId("mic-select").addEventListener("change", () => media.start());
byId("mute").addEventListener("click", () => setMicrophone(!media.micOn));
byId("camera").addEventListener("click", () => setCamera(!media.cameraOn));
byId("share").addEventListener("click", () => media.toggleShare());
byId("leave").addEventListener("click", () => {
  send({ type: "leave" });
  finish(null);
});
onChatSubmit(byId("chat-form"), byId("chat-text"), send);
if (!navigator.mediaDevices || !navigator.mediaDevices.getDisplayMedia) byId("share").hidden = true;
navigator.mediaDevices.addEventListener("devicechange", () => media.listDevices());

media.start();
showTime();
setInterval(showTime, 1000);
setInterval(() => measure().catch((error) => console.error(error)), 2000);
