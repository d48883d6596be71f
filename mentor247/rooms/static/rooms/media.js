// This page's camera and microphone in the room: the self-view, the device pickers and the
// microphone's level in the green room, and in the call muting, turning the camera off and
// sharing the screen, with the tracks the peer connection sends kept in step.

import {
  currentDevice,
  devicesOf,
  fillDevicePicker,
  listenToMicrophone,
  mediaProblem,
  stopTracks,
} from "../media/devices.js";

const byId = (id) => document.getElementById(id);

export class LocalMedia {
  // connection() is the call's peer connection, or null; text(key, values) the page's texts;
  // onProblem(message) tells why the camera or microphone did not start ("" when they did).
  constructor({ connection, text, onProblem }) {
    Object.assign(this, { connection, text, onProblem });
    this.stream = null;
    this.screenTrack = null;
    this.cameraOn = true;
    this.micOn = true;
    this.stopListening = () => {};
    this.cameraSelect = byId("camera-select");
    this.micSelect = byId("mic-select");
    this.localVideo = byId("local-video");
  }

  // What the peer connection sends: the screen instead of the camera while sharing.
  outgoing() {
    return this.stream.getTracks().map((track) => [
      track.kind === "video" && this.screenTrack ? this.screenTrack : track,
      this.stream,
    ]);
  }

  get liveCamera() {
    const video = this.stream && this.stream.getVideoTracks()[0];
    return Boolean(this.cameraOn && video && video.readyState === "live");
  }

  videoSender() {
    const pc = this.connection();
    return pc && pc.getSenders().find((s) => s.track && s.track.kind === "video");
  }

  // Opens the camera and microphone chosen in the pickers; whether they started.
  async start() {
    const camera = this.cameraSelect.value;
    const microphone = this.micSelect.value;
    const constraints = {
      video: camera ? { deviceId: { exact: camera } } : true,
      audio: microphone ? { deviceId: { exact: microphone } } : true,
    };
    let fresh;
    try {
      fresh = await navigator.mediaDevices.getUserMedia(constraints);
    } catch (error) {
      const problem = mediaProblem(error);
      const key = { missing: "no_device", failed: "media_error" }[problem] || problem;
      this.onProblem(this.text(key));
      return false;
    }
    this.onProblem("");
    stopTracks(this.stream);
    this.stream = fresh;
    fresh.getVideoTracks().forEach((track) => (track.enabled = this.cameraOn));
    fresh.getAudioTracks().forEach((track) => (track.enabled = this.micOn));
    byId("self-view").srcObject = fresh;
    if (!this.screenTrack) this.localVideo.srcObject = fresh;
    const pc = this.connection();
    if (pc) {
      for (const sender of pc.getSenders()) {
        const track = fresh.getTracks().find((t) => sender.track && t.kind === sender.track.kind);
        if (track && !(this.screenTrack && track.kind === "video")) {
          await sender.replaceTrack(track);
        }
      }
    }
    const meter = byId("mic-level");
    this.stopListening();
    this.stopListening = listenToMicrophone(fresh, (rms) => {
      meter.value = Math.min(1, rms * 4);
    });
    await this.listDevices();
    return true;
  }

  async listDevices() {
    const unnamed = (key) => (n) => this.text(key, { n });
    const cameras = await devicesOf("videoinput");
    const microphones = await devicesOf("audioinput");
    fillDevicePicker(
      this.cameraSelect,
      cameras,
      unnamed("camera_n"),
      currentDevice(this.stream, "video"),
    );
    fillDevicePicker(
      this.micSelect,
      microphones,
      unnamed("microphone_n"),
      currentDevice(this.stream, "audio"),
    );
  }

  setCamera(on) {
    this.cameraOn = on;
    if (this.stream) this.stream.getVideoTracks().forEach((track) => (track.enabled = on));
  }

  setMicrophone(on) {
    this.micOn = on;
    if (this.stream) this.stream.getAudioTracks().forEach((track) => (track.enabled = on));
  }

  async stopSharing() {
    if (!this.screenTrack) return;
    this.screenTrack.stop(); // stopping it ourselves fires no "ended"
    this.screenTrack = null;
    const sender = this.videoSender();
    if (sender && this.stream) await sender.replaceTrack(this.stream.getVideoTracks()[0]);
    this.localVideo.srcObject = this.stream;
    this.showSharing(false);
  }

  async toggleShare() {
    const sender = this.videoSender();
    if (this.screenTrack) {
      await this.stopSharing();
      return;
    }
    let display;
    try {
      display = await navigator.mediaDevices.getDisplayMedia({ video: true });
    } catch {
      return;
    }
    this.screenTrack = display.getVideoTracks()[0];
    if (sender) await sender.replaceTrack(this.screenTrack);
    this.localVideo.srcObject = display;
    this.showSharing(true);
    // The browser's own "stop sharing".
    this.screenTrack.addEventListener("ended", () => this.stopSharing());
  }

  showSharing(on) {
    const button = byId("share");
    button.textContent = this.text(on ? "stop_share" : "share");
    button.setAttribute("aria-pressed", String(on));
  }

  stop() {
    stopTracks(this.stream);
    if (this.screenTrack) this.screenTrack.stop();
    this.stopListening();
  }
}
