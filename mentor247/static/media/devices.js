// Camera, microphone and speakers, for the room's green room and the tech check alike: what a
// refusal of getUserMedia means, the device pickers, and the microphone's level.

// getUserMedia's errors, as techcheck/verdict.py names them in its advice codes.
export function mediaProblem(error) {
  switch (error && error.name) {
    case "NotAllowedError":
    case "SecurityError":
      return "denied";
    case "NotFoundError":
    case "OverconstrainedError":
      return "missing";
    case "NotReadableError":
    case "AbortError":
      return "busy";
    default:
      return "failed";
  }
}

export function stopTracks(stream) {
  if (stream) for (const track of stream.getTracks()) track.stop();
}

// The device a stream's first track (of `kind`, if given) comes from.
export function currentDevice(stream, kind) {
  const tracks = stream ? stream.getTracks().filter((track) => !kind || track.kind === kind) : [];
  return tracks.length ? tracks[0].getSettings().deviceId : null;
}

// The devices of one kind ("videoinput", "audioinput", "audiooutput") this page may name: a
// browser lists them without ids until the person has allowed a camera or microphone.
export async function devicesOf(kind) {
  if (!navigator.mediaDevices || !navigator.mediaDevices.enumerateDevices) return [];
  const found = await navigator.mediaDevices.enumerateDevices();
  return found.filter((device) => device.kind === kind && device.deviceId);
}

// Fills a <select> with `devices`; one without a label (the browser may hide them) is named
// by unnamed(n), n counting from 1.
export function fillDevicePicker(select, devices, unnamed, current) {
  select.replaceChildren(
    ...devices.map((device, index) => {
      const option = new Option(device.label || unnamed(index + 1), device.deviceId);
      option.selected = device.deviceId === current;
      return option;
    }),
  );
}

let context = null;

// The page's one AudioContext, made on first use and woken if the browser suspended it (as it
// does until the person has clicked something); null where there is none.
export function audioContext() {
  if (!context) {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return null;
    context = new Context();
  }
  if (context.state === "suspended") context.resume().catch(() => {});
  return context;
}

// Calls onLevel(rms) every 50 ms with the microphone's loudness (RMS of the last 2048
// samples, about 40 ms, from 0 to 1); returns what stops it.
export function listenToMicrophone(stream, onLevel) {
  const audio = audioContext();
  if (!audio || !stream.getAudioTracks().length) return () => {};
  const analyser = audio.createAnalyser();
  analyser.fftSize = 2048;
  const source = audio.createMediaStreamSource(stream);
  source.connect(analyser); // never to the speakers: that would echo
  const samples = new Float32Array(analyser.fftSize);
  const timer = setInterval(() => {
    analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const sample of samples) sum += sample * sample;
    onLevel(Math.sqrt(sum / samples.length));
  }, 50);
  return () => {
    clearInterval(timer);
    source.disconnect();
  };
}
