// What a typed note means: its kind (from a prefix such as "p: ") and whether it may be sent.
// Pure functions (of the server's enums, see enums.js), shared by the note input, the why-ladder
// and the tests.

import { Labels, NoteKind } from "./enums.js";

export const MAX_NOTE_LENGTH = 10000;

/** The kinds the note input offers, each with its label and its typed prefix. Order matters:
 * Alt+1 … Alt+7 pick these, and the legend lists them so. (A why is noted on the why-ladder.) */
export function noteKinds() {
  return [
    { kind: NoteKind.NOTE, prefix: "" },
    { kind: NoteKind.PAIN, prefix: "p" },
    { kind: NoteKind.SOLUTION_REQUEST, prefix: "s" },
    { kind: NoteKind.QUOTE, prefix: "q" },
    { kind: NoteKind.KPI, prefix: "k" },
    { kind: NoteKind.COMPETITION, prefix: "c" },
    { kind: NoteKind.FOLLOW_UP, prefix: "f" },
  ].map((entry) => ({ ...entry, label: kindLabel(entry.kind) }));
}

// "p: text", "P:text" is not enough: the colon must be followed by a space or the end.
const PREFIX = /^\s*([a-z]):(?:\s+|$)/i;

export function kindLabel(kind) {
  return Labels.NoteKind[kind] || Labels.NoteKind[NoteKind.NOTE];
}

/** The kind a typed prefix selects, and the text without it. Without a prefix: `chosen`. */
export function parseNote(raw, chosen = NoteKind.NOTE) {
  const match = PREFIX.exec(raw);
  const prefix = match && match[1].toLowerCase();
  const kind = prefix && noteKinds().find((entry) => entry.prefix === prefix)?.kind;
  if (kind) return { kind, text: raw.slice(match[0].length), prefixed: true };
  return { kind: chosen, text: raw, prefixed: false };
}

/** Length as the server counts it: in characters (code points), not UTF-16 units. */
export function noteLength(text) {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

/** Why a note cannot be sent as it is, or null when it can. */
export function problemWith(text) {
  if (!text.trim()) return "empty";
  const length = noteLength(text);
  if (length > MAX_NOTE_LENGTH) {
    const over = (length - MAX_NOTE_LENGTH).toLocaleString("en");
    return (
      `This note is ${length.toLocaleString("en")} characters long, ${over} over the limit of ` +
      `${MAX_NOTE_LENGTH.toLocaleString("en")}. Nothing was sent: shorten it, or split it in two.`
    );
  }
  return null;
}
