// Never lose a note. Every change to a note (save, edit, delete, undo) and every question state
// is written to localStorage BEFORE it is sent, and leaves it only once the server accepted it.
//
//   const box = new Outbox({ key: "heard:outbox:42", send: (op) => call("POST", op.url, op.body) });
//   box.add({ type: "note", target: noteId, url, body });   // stored at once, then sent
//   box.subscribe((box) => render(box.pending().length));
//
// Changes are sent one at a time in the order they were made. A network failure, a 5xx or a
// timeout keeps the change and retries later with a growing pause (1 s, 2 s, 4 s … 30 s); going
// back online retries at once. An answer that can never succeed (400, 404, 409, …) keeps the
// change too, with the server's message, until the person fixes or discards it; later changes
// to the same note wait behind it, changes to other notes go on. A second tab of the same
// interview shares the storage: each change reads it afresh, and resending is harmless because
// the server treats a note's id as the key.

const PERMANENT = new Set([400, 404, 405, 409, 410, 413, 422]);
const SIGNED_OUT = new Set([401, 403]);
const MAX_PAUSE_MS = 30000;

function memoryStorage() {
  const items = new Map();
  return {
    memory: true,
    getItem: (key) => (items.has(key) ? items.get(key) : null),
    setItem: (key, value) => items.set(key, String(value)),
    removeItem: (key) => items.delete(key),
  };
}

function defaultStorage() {
  try {
    const probe = "heard:probe";
    window.localStorage.setItem(probe, "1");
    window.localStorage.removeItem(probe);
    return window.localStorage;
  } catch {
    return memoryStorage();
  }
}

function newId() {
  if (globalThis.crypto && crypto.randomUUID) return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

export class Outbox {
  /**
   * key: the localStorage key (one per interview); send(op) → Promise<{status, data}>;
   * storage, setTimer, clearTimer, now: replaceable for tests.
   */
  constructor({ key, send, storage, setTimer, clearTimer, now }) {
    this.key = key;
    this.send = send;
    this.storage = storage || defaultStorage();
    this.setTimer = setTimer || ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = clearTimer || ((handle) => clearTimeout(handle));
    this.now = now || (() => Date.now());
    this.listeners = new Set();
    this.doneListeners = new Set();
    this.failedListeners = new Set();
    this.sending = null; // opId in flight
    this.timer = null;
    this.pauses = 0;
    this.status = "idle"; // idle | sending | retrying | signed-out
    this.lastProblem = "";
    // False when the browser refuses localStorage (some private modes): the page says so.
    this.durable = !this.storage.memory;
    this.idleWaiters = [];
  }

  // Storage ----------------------------------------------------------------------------------

  read() {
    try {
      const raw = this.storage.getItem(this.key);
      const ops = raw ? JSON.parse(raw) : [];
      return Array.isArray(ops) ? ops : [];
    } catch {
      return [];
    }
  }

  write(ops) {
    if (ops.length) this.storage.setItem(this.key, JSON.stringify(ops));
    else this.storage.removeItem(this.key);
  }

  update(change) {
    const ops = this.read();
    const result = change(ops);
    this.write(ops);
    this.emit();
    return result;
  }

  // What is waiting -------------------------------------------------------------------------

  /** Every stored change, oldest first. */
  all() {
    return this.read();
  }

  /** Changes still to send (not the ones the server refused). */
  pending() {
    return this.read().filter((op) => !op.error);
  }

  /** Changes the server refused for good, with op.error = {status, message}. */
  failed() {
    return this.read().filter((op) => op.error);
  }

  /** The newest stored change about `target` (a note id, a question id), or undefined. */
  latestFor(target) {
    const ops = this.read().filter((op) => op.target === target);
    return ops[ops.length - 1];
  }

  // Changes ----------------------------------------------------------------------------------

  /**
   * Store a change, then send it. op: {type, target, url, body}. A change of the same type and
   * target that waits last in line for that target is replaced instead: only the newest text
   * of an unsent note is worth sending.
   */
  add(op) {
    const entry = {
      opId: newId(),
      type: op.type,
      target: op.target,
      url: op.url,
      body: op.body,
      queuedAt: this.now(),
      attempts: 0,
    };
    this.update((ops) => {
      const sameTarget = ops.filter((other) => other.target === entry.target);
      const last = sameTarget[sameTarget.length - 1];
      const mergeable =
        last && last.type === entry.type && !last.error && last.opId !== this.sending;
      if (mergeable) {
        last.body = entry.body;
        last.url = entry.url;
        entry.opId = last.opId;
      } else {
        ops.push(entry);
      }
    });
    this.flush();
    return entry.opId;
  }

  /** Drop a change (a refused one the person gave up on). */
  discard(opId) {
    this.update((ops) => {
      const index = ops.findIndex((op) => op.opId === opId);
      if (index >= 0) ops.splice(index, 1);
    });
    this.flush();
  }

  /** Send a refused change again, with a new body if given. */
  retry(opId, body) {
    this.update((ops) => {
      const op = ops.find((candidate) => candidate.opId === opId);
      if (!op) return;
      delete op.error;
      if (body !== undefined) op.body = body;
    });
    this.flush(true);
  }

  // Sending ----------------------------------------------------------------------------------

  /** Send what waits, now. `reset` forgets the growing pause (back online, server reachable). */
  flush(reset = false) {
    if (reset) this.pauses = 0;
    if (this.timer !== null && reset) {
      this.clearTimer(this.timer);
      this.timer = null;
    }
    if (this.sending || this.timer !== null) return;
    this.sendNext();
  }

  nextSendable() {
    const blocked = new Set();
    for (const op of this.read()) {
      if (op.error) {
        blocked.add(op.target);
        continue;
      }
      if (!blocked.has(op.target)) return op;
    }
    return null;
  }

  async sendNext() {
    const op = this.nextSendable();
    if (!op) {
      this.setStatus("idle", "");
      this.resolveIdle();
      return;
    }
    this.sending = op.opId;
    this.setStatus("sending", this.lastProblem);
    let answer;
    try {
      answer = await this.send(op);
    } catch {
      answer = { status: 0, data: null };
    }
    this.sending = null;
    if (!answer) answer = { status: 0, data: null };
    if (answer.status >= 200 && answer.status < 300) {
      this.pauses = 0;
      this.lastProblem = "";
      // Listeners first: the page takes the server's copy before the change leaves the outbox,
      // so that it never looks, for a moment, as if the note were gone.
      this.doneListeners.forEach((listener) => listener(op, answer.data));
      this.update((ops) => {
        const index = ops.findIndex((candidate) => candidate.opId === op.opId);
        // Replaced while in flight (edited again): keep the newer body, send it next.
        if (index >= 0 && JSON.stringify(ops[index].body) === JSON.stringify(op.body)) {
          ops.splice(index, 1);
        }
      });
      this.sendNext();
      return;
    }
    if (PERMANENT.has(answer.status)) {
      const message =
        (answer.data && typeof answer.data.error === "string" && answer.data.error) ||
        `Heard refused this change (${answer.status}).`;
      this.update((ops) => {
        const stored = ops.find((candidate) => candidate.opId === op.opId);
        if (stored) stored.error = { status: answer.status, message };
      });
      this.failedListeners.forEach((listener) => listener(op, answer));
      this.sendNext();
      return;
    }
    if (answer.status === -1) return; // aborted: the page is going away
    this.update((ops) => {
      const stored = ops.find((candidate) => candidate.opId === op.opId);
      if (stored) stored.attempts = (stored.attempts || 0) + 1;
    });
    const signedOut = SIGNED_OUT.has(answer.status);
    const pause = signedOut ? 15000 : Math.min(MAX_PAUSE_MS, 1000 * 2 ** this.pauses);
    this.pauses += 1;
    this.lastProblem = signedOut
      ? (answer.data && answer.data.error) || "You are signed out, or may only read here."
      : answer.status === 0
        ? "No connection."
        : (answer.data && typeof answer.data.error === "string" && answer.data.error) ||
          `Heard is not answering (${answer.status}).`;
    this.setStatus(signedOut ? "signed-out" : "retrying", this.lastProblem);
    this.retryAt = this.now() + pause;
    this.timer = this.setTimer(() => {
      this.timer = null;
      this.sendNext();
    }, pause);
  }

  /** Resolves once nothing sendable waits, or after `ms` (true when idle). */
  whenIdle(ms) {
    if (!this.sending && !this.nextSendable()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = { resolve };
      this.idleWaiters.push(waiter);
      if (ms) {
        this.setTimer(() => {
          this.idleWaiters = this.idleWaiters.filter((other) => other !== waiter);
          resolve(false);
        }, ms);
      }
    });
  }

  resolveIdle() {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    waiters.forEach((waiter) => waiter.resolve(true));
  }

  // Listeners --------------------------------------------------------------------------------

  /** fn(outbox) after every change of what waits or of the sending status. */
  subscribe(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** fn(op, data) after the server accepted a change. */
  onDone(fn) {
    this.doneListeners.add(fn);
  }

  /** fn(op, answer) after the server refused a change for good. */
  onFailed(fn) {
    this.failedListeners.add(fn);
  }

  setStatus(status, problem) {
    if (this.status === status && this.problem === problem) return;
    this.status = status;
    this.problem = problem;
    this.emit();
  }

  emit() {
    this.listeners.forEach((listener) => listener(this));
  }
}
