// The room's WebSocket (rooms/consumers.py): one socket at a time, a heartbeat that gives up a
// socket gone silent, and reconnecting with a growing delay while the page is in the call.

const PING_MS = 4000;
const SILENCE_MS = 10000; // a socket silent this long is given up for a new one
const FIRST_DELAY_MS = 500;
const LAST_DELAY_MS = 5000;

export class RoomSocket {
  // onOpen() when a socket opens; onMessage(message) for each message of the current socket;
  // onClose(code, opened) when the current socket closes; onReconnecting() before a new one.
  constructor(url, { onOpen, onMessage, onClose, onReconnecting }) {
    Object.assign(this, { url, onOpen, onMessage, onClose, onReconnecting });
    this.socket = null;
    this.joined = false; // the room has taken the current socket
    this.ended = false; // the page has left: nothing more is sent or opened
    this.heard = 0; // when the current socket last brought a message
    this.delay = FIRST_DELAY_MS;
    // Signals wait while the socket is down and go out once the room has taken this page
    // back; other messages (camera, stats, chat) are only worth sending now.
    this.pendingSignals = [];
    setInterval(() => this.beat(), PING_MS);
  }

  connect() {
    const ws = new WebSocket(this.url);
    this.socket = ws;
    this.heard = Date.now();
    let opened = false;
    ws.addEventListener("open", () => {
      opened = true;
      this.onOpen();
    });
    ws.addEventListener("message", (event) => {
      if (ws !== this.socket) return; // a socket given up (see beat)
      this.heard = Date.now();
      this.onMessage(JSON.parse(event.data));
    });
    ws.addEventListener("close", (event) => {
      if (this.ended || ws !== this.socket) return;
      this.onClose(event.code, opened);
    });
  }

  get open() {
    return Boolean(this.socket && this.socket.readyState === WebSocket.OPEN);
  }

  send(message) {
    if (this.joined && this.open) {
      this.socket.send(JSON.stringify(message));
    } else if (message.type === "signal") {
      this.pendingSignals.push(message);
    } else if (message.type === "join" && this.open) {
      this.socket.send(JSON.stringify(message));
    }
  }

  // The room has taken this socket.
  taken() {
    this.joined = true;
    this.delay = FIRST_DELAY_MS;
  }

  // Sends the signals that waited for the room to take this page back.
  flush() {
    for (const signal of this.pendingSignals.splice(0)) this.send(signal);
  }

  reconnect() {
    this.joined = false;
    this.onReconnecting();
    setTimeout(() => this.connect(), this.delay);
    this.delay = Math.min(this.delay * 2, LAST_DELAY_MS);
  }

  // A socket can die without closing when the network under it changes: nothing arrives and
  // nothing sent gets through. The room answers each ping, so a socket that has heard nothing
  // for a while is given up (its late events ignored) and a new one opened.
  beat() {
    if (!this.joined || this.ended) return;
    if (Date.now() - this.heard < SILENCE_MS) {
      this.send({ type: "ping" });
      return;
    }
    const dead = this.socket;
    this.socket = null;
    dead.close();
    this.reconnect();
  }

  end() {
    this.ended = true;
    if (this.socket) this.socket.close();
  }
}
