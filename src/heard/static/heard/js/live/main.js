// The live interview companion: boots the page from the server's snapshot, then keeps it
// current with the event feed while the outbox makes sure nothing typed is lost.

import { call, setCsrfFallback } from "./api.js";
import { elapsedSeconds } from "./budget.js";
import { $ } from "./dom.js";
import { InterviewStatus, useEnums } from "./enums.js";
import { Feed } from "./feed.js";
import { outboxKey } from "./keys.js";
import { setupKickoff } from "./kickoff.js";
import { setupLadder } from "./ladder.js";
import { setupNotes } from "./notes.js";
import { Outbox } from "./outbox.js";
import { setupPresence } from "./presence.js";
import { setupQuestions } from "./questions.js";
import { setupQueue } from "./queue.js";
import { setupSaveState } from "./savestate.js";
import { setupShortcuts } from "./shortcuts.js";
import { createStore } from "./store.js";
import { setupTimebar } from "./timebar.js";

const ID = "{id}";

/** The live API's addresses as the server reversed them (the page's "live-config"); those with
 * "{id}" in them become functions of the note, question or queued item's id. */
export function liveUrls(addresses) {
  return Object.fromEntries(
    Object.entries(addresses).map(([name, url]) => [
      name,
      url.includes(ID) ? (id) => url.replace(ID, encodeURIComponent(id)) : url,
    ]),
  );
}

/** What each kind of event in the log changes, by the kinds the server named (EventKind). */
function eventHandlers(store, kinds) {
  return new Map([
    [kinds.NOTE, (payload) => store.setNote(payload)],
    [kinds.QUESTION, (payload) => store.setQuestionState(payload.question, payload.status)],
    [kinds.INTERVIEW, (payload) => store.setInterview(payload)],
    [kinds.QUEUE, (payload) => store.setQueued(payload)],
  ]);
}

function boot() {
  const root = $("live");
  const source = $("live-state");
  const settings = $("live-config");
  if (!root || !source || !settings) return;
  const store = createStore(JSON.parse(source.textContent));
  const config = JSON.parse(settings.textContent);
  // Before any part of the screen is set up: they all compare and send the server's values.
  useEnums(config);
  setCsrfFallback(root.dataset.csrf);
  const urls = liveUrls(config.urls);
  const applyEvent = eventHandlers(store, config.event_kinds);
  const outbox = new Outbox({
    key: outboxKey(root.dataset.interview, store.state.me.id),
    send: (op) => call("POST", op.url, op.body),
    now: () => store.now(),
  });
  const app = {
    store,
    outbox,
    urls,
    canEdit: Boolean(store.state.me.can_edit) && root.dataset.canEdit === "true",
    elapsedNow: () => elapsedSeconds(store.state.interview, store.now()),
    /** Heard takes changes until the interview is done or cancelled. */
    writable: () => app.canEdit && ![InterviewStatus.DONE, InterviewStatus.CANCELLED].includes(store.state.interview.status),
    focusComposer: () => false,
    focusCurrentQuestion: () => {},
    focusQuestion: () => {},
  };

  outbox.onDone((op, data) => {
    if (!data) return;
    if (data.note) store.setNote(data.note);
    if (op.type === "question" && data.status) store.setQuestionState(data.question ?? op.target, data.status);
  });

  setupQuestions(app);
  setupTimebar(app);
  app.ladder = app.canEdit ? setupLadder(app) : null;
  setupNotes(app);
  setupKickoff(app);
  setupQueue(app);
  setupPresence(app);
  setupSaveState(app);
  setupShortcuts(app);

  const connection = $("connection");
  let feedStatus = "connecting";
  function showConnection() {
    // While notes wait, the save indicator already says "Offline"; say it once.
    const text = {
      offline: app.canEdit && outbox.pending().length ? "" : "Offline: reconnecting…",
      "signed-out": "Signed out: sign in again in another tab; your notes are kept here.",
      gone: "This interview is no longer available.",
    }[feedStatus];
    connection.textContent = text || "";
    connection.hidden = !text;
    connection.dataset.status = feedStatus;
  }
  outbox.subscribe(showConnection);
  const feed = new Feed({
    url: urls.stream,
    stateUrl: urls.state,
    cursor: store.state.cursor,
    onBatch: (data, clientMs) => {
      store.syncClock(data.now, clientMs);
      if (Array.isArray(data.presence)) {
        store.state.presence = data.presence;
        store.emit("presence");
      }
      for (const event of data.events || []) applyEvent.get(event.kind)?.(event.payload);
      if (data.cursor !== undefined) store.state.cursor = data.cursor;
      // Heard answers again: whatever waits in the outbox may go now.
      if (outbox.status === "retrying") outbox.flush(true);
    },
    onStatus: (status) => {
      feedStatus = status;
      if (status === "offline" && store.state.presence.length) {
        // Who is connected is unknown until the feed answers again.
        store.state.presence = [];
        store.emit("presence");
      }
      showConnection();
    },
  });

  window.addEventListener("online", () => outbox.flush(true));
  // Another tab of the same interview changed the outbox: show it, and help send it.
  window.addEventListener("storage", (event) => {
    if (event.key !== outbox.key) return;
    outbox.emit();
    outbox.flush();
  });
  window.addEventListener("pageshow", (event) => {
    // Back from the browser's page cache: the snapshot is old, take a fresh one.
    if (event.persisted) window.location.reload();
  });
  outbox.flush(true);
  if (store.state.interview.status !== InterviewStatus.CANCELLED) feed.start();
  // The columns scroll under the sticky budget: tell the CSS how tall it is.
  const top = document.querySelector(".live-top");
  new ResizeObserver(() => {
    document.documentElement.style.setProperty("--live-top", `${top.offsetHeight}px`);
  }).observe(top);
  root.classList.add("is-ready");
  window.heardLive = app; // for people debugging a call, and for the browser tests
}

boot();
