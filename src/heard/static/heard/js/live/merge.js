// What the page shows: the server's notes and question states with the changes still waiting in
// the outbox laid over them. Pure functions: the outbox stays the single record of what is unsent.

import { kindLabel } from "./compose.js";
import { QuestionPriority, QuestionStatus } from "./enums.js";

/**
 * Notes by id, each with: pending (a change waits), error (the server refused one: {status,
 * message}) and opId (the refused change, to fix or discard it).
 */
export function displayNotes(serverNotes, ops, me) {
  const view = new Map();
  for (const note of serverNotes.values()) {
    view.set(note.id, { ...note, pending: false, error: null, opId: null });
  }
  for (const op of ops) {
    const known = view.get(op.target);
    const othersNote = known && known.author && String(known.author.id) !== String(me.id);
    // A refused change to someone else's note (its id was taken) is not theirs to show: the
    // page lists it apart, to save as a new note or to drop.
    if (op.error && othersNote) continue;
    if (op.type === "note") {
      const base = known || {
        id: op.target,
        author: { id: me.id, name: me.name },
        deleted: false,
        created_at: new Date(op.queuedAt).toISOString(),
      };
      view.set(op.target, {
        ...base,
        ...op.body,
        kind_label: kindLabel(op.body.kind),
        pending: true,
        error: op.error || base.error || null,
        opId: op.error ? op.opId : base.opId || null,
      });
    } else if (known && (op.type === "delete" || op.type === "restore")) {
      view.set(op.target, {
        ...known,
        deleted: op.type === "delete",
        pending: true,
        error: op.error || known.error,
        opId: op.error ? op.opId : known.opId,
      });
    }
  }
  return view;
}

/** Newest first: by time into the interview, then by when they were written. */
export function newestFirst(notes) {
  return [...notes].sort((a, b) => {
    if (b.elapsed_seconds !== a.elapsed_seconds) return b.elapsed_seconds - a.elapsed_seconds;
    return String(b.created_at || "").localeCompare(String(a.created_at || ""));
  });
}

/** Question states with the unsent ones laid over. */
export function displayStates(serverStates, ops) {
  const view = new Map(serverStates);
  for (const op of ops) {
    if (op.type === "question" && !op.error) view.set(String(op.target), op.body.status);
  }
  return view;
}

/** Must-ask questions not yet answered, covered or skipped. */
// Must-ask questions not yet answered or covered. A skipped one counts as left, as on the
// wrap-up: skipping is a choice, but the answer is still missing.
export function mustAskLeft(questions, states) {
  return questions.filter((question) => {
    const status = states.get(String(question.id)) || QuestionStatus.OPEN;
    return (
      question.priority === QuestionPriority.MUST &&
      status !== QuestionStatus.ANSWERED &&
      status !== QuestionStatus.COVERED
    );
  });
}
