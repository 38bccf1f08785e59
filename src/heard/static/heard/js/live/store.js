// The page's state: the server's snapshot, kept current by the event feed and by answers to
// what this page sends. Views subscribe to a topic and redraw from the state.

import { clockOffset } from "./budget.js";

export function createStore(snapshot) {
  const listeners = new Map();
  const state = {
    interview: snapshot.interview,
    me: snapshot.me,
    sections: snapshot.sections || [],
    questionStates: new Map(Object.entries(snapshot.question_states || {})),
    notes: new Map((snapshot.notes || []).map((note) => [note.id, note])),
    queued: new Map((snapshot.queued || []).map((item) => [String(item.id), item])),
    presence: snapshot.presence || [],
    cursor: snapshot.cursor || 0,
    offset: clockOffset(snapshot.interview.now, Date.now()),
    current: null,
    timeLow: false, // under a quarter of the conversation left, or in a reserve
  };

  const store = {
    state,
    on(topic, fn) {
      if (!listeners.has(topic)) listeners.set(topic, new Set());
      listeners.get(topic).add(fn);
    },
    emit(topic, detail) {
      (listeners.get(topic) || []).forEach((fn) => fn(detail));
    },
    /** The server's time now, in milliseconds. */
    now() {
      return Date.now() + state.offset;
    },
    syncClock(serverIso, clientMs) {
      if (!serverIso) return;
      state.offset = clockOffset(serverIso, clientMs);
      store.emit("clock");
    },
    questions() {
      return state.sections.flatMap((section) => section.questions);
    },
    question(id) {
      return store.questions().find((question) => String(question.id) === String(id));
    },
    /** `fresh`: an answer just received, whose "now" can set the clock. An event replayed from
     * the log carries the "now" of when it happened, so it must not. */
    setInterview(interview, { fresh = false } = {}) {
      if (!interview) return;
      const { now, ...rest } = interview;
      state.interview = { ...state.interview, ...rest };
      if (fresh && now) store.syncClock(now, Date.now());
      store.emit("interview");
    },
    setNote(note) {
      if (!note || !note.id) return;
      // The log keeps no copy of a deleted note's words: the screen keeps those it saw, so
      // that Undo shows them until the restored note comes back.
      const known = state.notes.get(note.id);
      const kept = note.deleted && !note.text && known ? { ...note, text: known.text } : note;
      state.notes.set(note.id, kept);
      store.emit("notes");
    },
    setQuestionState(questionId, status) {
      state.questionStates.set(String(questionId), status);
      store.emit("questions");
    },
    setQueued(item) {
      if (!item) return;
      state.queued.set(String(item.id), item);
      store.emit("queue");
    },
    setCurrent(questionId) {
      state.current = questionId === null || questionId === undefined ? null : questionId;
      store.emit("current");
    },
  };
  return store;
}
