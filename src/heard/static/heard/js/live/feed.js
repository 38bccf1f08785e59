// Follow what others do during the call: long-poll live/events/ and hand each batch on.
//
//   const feed = new Feed({ url, cursor, onBatch, onStatus });
//   feed.start();
//
// Each answer carries the events after the cursor, who is connected and the server's clock.
// Failures back off (1 s … 30 s); going back online or showing the tab again polls at once.

import { call } from "./api.js";

const MAX_PAUSE_MS = 30000;

export class Feed {
  constructor({ url, cursor, onBatch, onStatus, wait = 25 }) {
    this.url = url;
    this.cursor = cursor || 0;
    this.onBatch = onBatch;
    this.onStatus = onStatus || (() => {});
    this.wait = wait;
    this.running = false;
    this.controller = null;
    this.failures = 0;
    this.pauseTimer = null;
    this.wakePause = null;
    this.status = "connecting";
  }

  start() {
    if (this.running) return;
    this.running = true;
    window.addEventListener("online", () => this.poke());
    window.addEventListener("offline", () => {
      this.setStatus("offline");
      this.poke();
    });
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") this.poke();
    });
    this.loop();
  }

  stop() {
    this.running = false;
    if (this.controller) this.controller.abort();
  }

  /** Poll now: cut a pause short, or restart a wait that may have gone stale. */
  poke() {
    if (this.wakePause) this.wakePause();
    else if (this.controller) this.controller.abort();
  }

  setStatus(status) {
    if (status === this.status) return;
    this.status = status;
    this.onStatus(status);
  }

  async loop() {
    // The first answer comes at once: who is here, and the server's clock, without waiting.
    let wait = 0;
    while (this.running) {
      this.controller = new AbortController();
      // A proxy that holds a dead connection open must not freeze the page.
      const guard = setTimeout(() => this.controller.abort(), (this.wait + 15) * 1000);
      const url = `${this.url}?after=${encodeURIComponent(this.cursor)}&wait=${wait}`;
      wait = this.wait;
      const answer = await call("GET", url, undefined, { signal: this.controller.signal });
      clearTimeout(guard);
      this.controller = null;
      if (!this.running) return;
      if (answer.status === 200 && answer.data) {
        this.failures = 0;
        if (answer.data.cursor !== undefined && answer.data.cursor !== null) {
          this.cursor = answer.data.cursor;
        }
        this.setStatus("connected");
        try {
          this.onBatch(answer.data, Date.now());
        } catch (error) {
          console.error(error); // eslint-disable-line no-console
        }
        continue;
      }
      if (answer.status === -1) {
        wait = 0; // poked: poll again now, and answer at once
        continue;
      }
      if (answer.status === 404) {
        this.setStatus("gone");
        this.running = false;
        return;
      }
      this.failures += 1;
      wait = 0;
      this.setStatus(answer.status === 401 || answer.status === 403 ? "signed-out" : "offline");
      await this.pause(Math.min(MAX_PAUSE_MS, 1000 * 2 ** Math.min(this.failures - 1, 5)));
    }
  }

  pause(ms) {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(this.pauseTimer);
        this.wakePause = null;
        resolve();
      };
      this.pauseTimer = setTimeout(done, ms);
      this.wakePause = done;
    });
  }
}
