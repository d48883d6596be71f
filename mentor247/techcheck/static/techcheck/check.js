// The tech check page: camera preview with device pickers, microphone level, a test tone for
// the speakers, and the network test (network.js). The figures go to the server, which
// answers with the verdict and advice (techcheck/verdict.py); this page never judges.

import {
  audioContext,
  currentDevice,
  devicesOf,
  fillDevicePicker,
  listenToMicrophone,
  mediaProblem,
  stopTracks,
} from "../media/devices.js";
import { hears } from "../media/quality.js";
import { texts } from "../media/texts.js";
import { measureNetwork } from "./network.js";

const root = document.getElementById("techcheck");
const $ = (id) => document.getElementById(id);
const text = texts("techcheck-strings");

const state = {
  camera: null,
  microphone: null,
  level: 0,
  speaker: null,
  network: undefined, // figures, or null when the test could not connect
  started: false,
  sent: false,
};
let videoStream = null;
let audioStream = null;
let stopListening = () => {};
let sinkId = null; // the speakers chosen, once the person has chosen

function say(id, message, tone = "") {
  const node = $(id);
  node.textContent = message;
  node.className = tone ? `message message-${tone}` : "";
}

// The page's AudioContext, playing to the speakers chosen.
function ensureAudioContext() {
  const context = audioContext();
  if (context && sinkId && context.setSinkId) context.setSinkId(sinkId).catch(() => {});
  return context;
}

// Camera -------------------------------------------------------------------------------------

function showCamera(stream) {
  stopTracks(videoStream);
  videoStream = stream;
  $("tc-preview").srcObject = stream;
  state.camera = "ok";
  say("tc-camera-message", text("camera_ok"));
}

function cameraFailed(error) {
  state.camera = mediaProblem(error);
  say("tc-camera-message", text(`camera_${state.camera}`), "error");
}

async function switchCamera(deviceId) {
  stopTracks(videoStream); // some cameras open for one user at a time
  videoStream = null;
  try {
    showCamera(
      await navigator.mediaDevices.getUserMedia({ video: { deviceId: { exact: deviceId } } }),
    );
  } catch (error) {
    cameraFailed(error);
  }
}

// Microphone ---------------------------------------------------------------------------------

function listen(stream) {
  stopTracks(audioStream);
  audioStream = stream;
  state.microphone = "ok";
  stopListening();
  let heard = hears(state.level);
  say("tc-microphone-message", text(heard ? "heard" : "not_heard_yet"), heard ? "success" : "");
  stopListening = listenToMicrophone(stream, (rms) => {
    state.level = Math.max(state.level, rms);
    // Shown on a scale of decibels from -60 (empty) to 0 (full), as ears hear it.
    const decibels = rms > 0 ? 20 * Math.log10(rms) : -60;
    $("tc-level").value = Math.min(1, Math.max(0, (decibels + 60) / 60));
    if (!heard && hears(rms)) {
      heard = true;
      say("tc-microphone-message", text("heard"), "success");
    }
  });
}

function microphoneFailed(error) {
  state.microphone = mediaProblem(error);
  say("tc-microphone-message", text(`microphone_${state.microphone}`), "error");
}

async function switchMicrophone(deviceId) {
  stopTracks(audioStream);
  audioStream = null;
  state.level = 0; // the new microphone has to be heard itself
  try {
    listen(await navigator.mediaDevices.getUserMedia({ audio: { deviceId: { exact: deviceId } } }));
  } catch (error) {
    microphoneFailed(error);
  }
}

// Both at once, which asks for permission once; if that fails, each alone, to tell which
// failed and why.
async function openMedia() {
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    cameraFailed(null);
    microphoneFailed(null);
    return;
  }
  try {
    const both = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
    showCamera(new MediaStream(both.getVideoTracks()));
    listen(new MediaStream(both.getAudioTracks()));
    return;
  } catch {
    // told apart below
  }
  try {
    showCamera(await navigator.mediaDevices.getUserMedia({ video: true }));
  } catch (error) {
    cameraFailed(error);
  }
  try {
    listen(await navigator.mediaDevices.getUserMedia({ audio: true }));
  } catch (error) {
    microphoneFailed(error);
  }
}

// Device pickers -----------------------------------------------------------------------------

function fill(select, devices, labelKey, current) {
  fillDevicePicker(select, devices, (n) => text(labelKey, { n }), current);
  select.disabled = devices.length < 2;
}

async function fillPickers() {
  const cameras = await devicesOf("videoinput");
  fill($("tc-camera-select"), cameras, "camera_n", currentDevice(videoStream));
  const microphones = await devicesOf("audioinput");
  fill($("tc-microphone-select"), microphones, "microphone_n", currentDevice(audioStream));
  const outputs = await devicesOf("audiooutput");
  if (window.AudioContext && "setSinkId" in AudioContext.prototype && outputs.length) {
    fill($("tc-speaker-select"), outputs, "speaker_n", "default");
    $("tc-speaker-field").hidden = false;
  }
}

// Speakers -----------------------------------------------------------------------------------

function playTone() {
  const context = ensureAudioContext();
  if (!context) {
    say("tc-speaker-message", text("no_sound"), "error");
    return;
  }
  // Two short notes, rising: easy to tell from any other sound in the room.
  const gain = context.createGain();
  gain.connect(context.destination);
  const now = context.currentTime;
  [660, 880].forEach((frequency, index) => {
    const begin = now + index * 0.35;
    const oscillator = context.createOscillator();
    oscillator.frequency.value = frequency;
    oscillator.connect(gain);
    gain.gain.setValueAtTime(0.0001, begin);
    gain.gain.exponentialRampToValueAtTime(0.3, begin + 0.03);
    gain.gain.exponentialRampToValueAtTime(0.0001, begin + 0.3);
    oscillator.start(begin);
    oscillator.stop(begin + 0.32);
  });
  say("tc-speaker-message", text("playing"));
  for (const button of document.querySelectorAll("[data-speaker]")) button.disabled = false;
}

function answerSpeaker(answer) {
  state.speaker = answer;
  say("tc-speaker-message", text("answered"));
  finishWhenReady();
}

// Network ------------------------------------------------------------------------------------

const STAGES = {
  connecting: "connecting",
  rtt: "measuring_rtt",
  loss: "measuring_loss",
  throughput: "measuring_throughput",
  done: "network_done",
};

async function runNetwork() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const url = `${scheme}://${location.host}${root.dataset.socketPath}`;
  const progress = $("tc-network-progress");
  try {
    const figures = await measureNetwork(url, (stage, fraction) => {
      progress.value = Math.round(fraction * 100);
      say("tc-network-message", text(STAGES[stage]));
    });
    $("tc-rtt").textContent = text("ms", { value: figures.rtt_ms.toLocaleString() });
    $("tc-loss").textContent = text("percent", { value: figures.loss_percent.toLocaleString() });
    $("tc-throughput").textContent = text("kbps", {
      value: figures.throughput_kbps.toLocaleString(),
    });
    return figures;
  } catch (error) {
    progress.value = 0;
    if (error.code === "busy") {
      say("tc-network-message", text("busy"), "warning");
      return undefined;
    }
    say("tc-network-message", text("network_failed"), "error");
    return null;
  }
}

// The result ---------------------------------------------------------------------------------

function finishWhenReady() {
  if (!state.started || state.network === undefined || state.sent) return;
  if (!state.speaker) {
    say("tc-status", text("waiting_speaker"));
    return;
  }
  state.sent = true;
  send();
}

async function send() {
  say("tc-status", text("sending"));
  const network = state.network || { rtt_ms: null, loss_percent: null, throughput_kbps: null };
  const body = {
    camera: state.camera,
    microphone: state.microphone,
    microphone_level: state.microphone === "ok" ? Math.round(state.level * 10000) / 10000 : null,
    speaker: state.speaker,
    ...network,
  };
  let response;
  try {
    response = await fetch(root.dataset.recordUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "X-CSRFToken": $("tc-form").querySelector("[name=csrfmiddlewaretoken]").value,
      },
      body: JSON.stringify(body),
    });
  } catch {
    state.sent = false;
    say("tc-status", text("offline"), "error");
    return;
  }
  const result = await response.json().catch(() => ({}));
  if (!response.ok) {
    say("tc-status", `${text("not_saved")} ${result.error || response.status}`, "error");
    return;
  }
  showResult(result);
}

function showResult(result) {
  stopListening();
  // Free the camera and microphone for the call this check was for.
  stopTracks(videoStream);
  stopTracks(audioStream);
  $("tc-preview").srcObject = null;
  const verdict = $("tc-verdict");
  verdict.textContent = result.headline;
  verdict.className = `techcheck-verdict techcheck-${result.verdict}`;
  const items = result.advice.length
    ? result.advice.map((advice) => {
        const item = document.createElement("li");
        item.textContent = advice.text;
        item.dataset.code = advice.code;
        return item;
      })
    : [Object.assign(document.createElement("li"), { textContent: text("nothing_to_fix") })];
  $("tc-advice").replaceChildren(...items);
  $("tc-figures").textContent = result.figures.network;
  $("tc-after").hidden = false;
  say("tc-status", text("done"));
}

// Wiring -------------------------------------------------------------------------------------

async function start() {
  $("tc-start").disabled = true;
  state.started = true;
  say("tc-status", text("starting"));
  await openMedia();
  await fillPickers().catch(() => {});
  say("tc-status", text("running"));
  state.network = await runNetwork();
  if (state.network === undefined) {
    $("tc-start").disabled = false; // busy: the person may try again
    state.started = false;
    say("tc-status", "");
    return;
  }
  finishWhenReady();
}

$("tc-start").addEventListener("click", start);
$("tc-play").addEventListener("click", playTone);
for (const button of document.querySelectorAll("[data-speaker]")) {
  button.addEventListener("click", () => answerSpeaker(button.dataset.speaker));
}
$("tc-camera-select").addEventListener("change", (event) => switchCamera(event.target.value));
$("tc-microphone-select").addEventListener("change", (event) =>
  switchMicrophone(event.target.value),
);
$("tc-speaker-select").addEventListener("change", (event) => {
  sinkId = event.target.value;
  ensureAudioContext();
});
window.addEventListener("pagehide", () => {
  stopTracks(videoStream);
  stopTracks(audioStream);
});
$("tc-start").disabled = false;
$("tc-play").disabled = false;
document.querySelector("[data-speaker=unknown]").disabled = false;
