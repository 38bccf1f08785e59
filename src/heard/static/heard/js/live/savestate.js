// "All saved" / "3 notes waiting to save…": what the outbox holds, said quietly (aria-live polite).
// A change that is sent within a second never flickers the indicator.

import { $ } from "./dom.js";

const QUIET_MS = 1200;

export function describe(outbox, online) {
  const pending = outbox.pending();
  const failed = outbox.failed();
  const notes = new Set(pending.filter((op) => op.type === "note").map((op) => op.target)).size;
  const changes = pending.length;
  const what = notes === changes
    ? `${notes} note${notes === 1 ? "" : "s"}`
    : `${changes} change${changes === 1 ? "" : "s"}`;
  if (failed.length) {
    const refused = `${failed.length} not saved — see the notes`;
    return { tone: "bad", text: changes ? `${refused}; ${what} waiting…` : refused };
  }
  if (!changes) return { tone: "ok", text: "All saved" };
  const kept = outbox.durable ? "" : " (this browser forgets them if the tab closes)";
  if (!online || outbox.status === "retrying") {
    return { tone: "warn", text: `Offline: ${what} kept here, waiting to save…${kept}` };
  }
  if (outbox.status === "signed-out") {
    return { tone: "bad", text: `${what} waiting: ${outbox.problem || "sign in again"}${kept}` };
  }
  return { tone: "busy", text: `${what} waiting to save…${kept}` };
}

export function setupSaveState(app) {
  const { outbox } = app;
  const element = $("save-state");
  if (!element) return; // an observer saves nothing
  const text = element.querySelector(".save-text");
  let timer = null;
  let shown = "";

  function show() {
    timer = null;
    const state = describe(outbox, navigator.onLine);
    element.dataset.tone = state.tone;
    if (state.text !== shown) {
      shown = state.text;
      text.textContent = state.text;
    }
  }

  function update() {
    const state = describe(outbox, navigator.onLine);
    if (state.tone === "busy" && element.dataset.tone === "ok") {
      // Sent in a moment, most likely: say nothing unless it takes a while.
      if (timer === null) timer = setTimeout(show, QUIET_MS);
      return;
    }
    if (timer !== null) clearTimeout(timer);
    show();
  }

  outbox.subscribe(update);
  window.addEventListener("online", update);
  window.addEventListener("offline", update);
  window.addEventListener("beforeunload", (event) => {
    // Waiting notes survive a closed tab in localStorage; only a browser without it loses them.
    if (!outbox.durable && outbox.all().length) event.preventDefault();
  });
  show();
}
