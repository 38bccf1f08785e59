// Follow what others do during the call: a stream of server-sent events (live/stream/).
//
//   const feed = new Feed({ url, stateUrl, cursor, onBatch, onStatus });
//   feed.start();
//
// Each message carries events after the cursor, and/or who is connected, and the server's
// clock. The browser reconnects by itself (sending the last event id it saw); when the server
// refuses the stream, one JSON call tells why (signed out, gone) or the feed backs off
// (1 s … 30 s) and tries again. Going back online or showing the tab again retries at once.

import { call } from "./api.js";

const MAX_PAUSE_MS = 30000;

export class Feed {
  constructor({ url, stateUrl, cursor, onBatch, onStatus }) {
    this.url = url;
    this.stateUrl = stateUrl;
    this.cursor = cursor || 0;
    this.onBatch = onBatch;
    this.onStatus = onStatus || (() => {});
    this.running = false;
    this.source = null;
    this.failures = 0;
    this.retryTimer = null;
    this.status = "connecting";
  }

  start() {
    if (this.running) return;
    this.running = true;
    window.addEventListener("online", () => this.retryNow());
    window.addEventListener("offline", () => this.setStatus("offline"));
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") this.retryNow();
    });
    this.open();
  }

  stop() {
    this.running = false;
    clearTimeout(this.retryTimer);
    if (this.source) this.source.close();
    this.source = null;
  }

  setStatus(status) {
    if (status === this.status) return;
    this.status = status;
    this.onStatus(status);
  }

  open() {
    if (!this.running) return;
    clearTimeout(this.retryTimer);
    if (this.source) this.source.close();
    const source = new EventSource(`${this.url}?after=${encodeURIComponent(this.cursor)}`);
    this.source = source;
    source.onopen = () => {
      this.failures = 0;
      this.setStatus("connected");
    };
    source.onmessage = (message) => {
      let data;
      try {
        data = JSON.parse(message.data);
      } catch {
        return;
      }
      if (data.cursor !== undefined && data.cursor !== null) this.cursor = data.cursor;
      this.setStatus("connected");
      try {
        this.onBatch(data, Date.now());
      } catch (error) {
        console.error(error); // eslint-disable-line no-console
      }
    };
    source.onerror = () => {
      if (source !== this.source) return;
      if (source.readyState === EventSource.CONNECTING) {
        // The browser reconnects by itself, from the last event id it saw.
        this.setStatus("offline");
        return;
      }
      // Closed for good: the server refused the stream. Ask why, then try again later.
      this.source = null;
      this.diagnose();
    };
  }

  async diagnose() {
    const answer = await call("GET", this.stateUrl);
    if (!this.running) return;
    if (answer.status === 404) {
      this.setStatus("gone");
      this.stop();
      return;
    }
    this.failures += 1;
    this.setStatus(answer.status === 401 || answer.status === 403 ? "signed-out" : "offline");
    const pause = Math.min(MAX_PAUSE_MS, 1000 * 2 ** Math.min(this.failures - 1, 5));
    this.retryTimer = setTimeout(() => this.open(), pause);
  }

  /** Reconnect now if the stream is down (back online, or the tab shown again). */
  retryNow() {
    if (!this.running) return;
    if (!this.source || this.source.readyState !== EventSource.OPEN) this.open();
  }
}
