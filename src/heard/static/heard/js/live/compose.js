// What a typed note means: its kind (from a prefix such as "p: ") and whether it may be sent.
// Pure functions, shared by the note input, the why-ladder and the tests.

export const MAX_NOTE_LENGTH = 10000;

// Order matters: Alt+1 … Alt+7 pick these, and the legend lists them so.
export const KINDS = [
  { kind: "note", label: "Note", prefix: "" },
  { kind: "pain", label: "Pain", prefix: "p" },
  { kind: "solution_request", label: "Solution request", prefix: "s" },
  { kind: "quote", label: "Quote", prefix: "q" },
  { kind: "kpi", label: "KPI", prefix: "k" },
  { kind: "competition", label: "Competition", prefix: "c" },
  { kind: "follow_up", label: "Follow-up", prefix: "f" },
];

const LABELS = Object.fromEntries(KINDS.map((entry) => [entry.kind, entry.label]));
LABELS.why = "Why?";
const BY_PREFIX = Object.fromEntries(
  KINDS.filter((entry) => entry.prefix).map((entry) => [entry.prefix, entry.kind]),
);
// "p: text", "P:text" is not enough: the colon must be followed by a space or the end.
const PREFIX = /^\s*([a-z]):(?:\s+|$)/i;

export function kindLabel(kind) {
  return LABELS[kind] || "Note";
}

/** The kind a typed prefix selects, and the text without it. Without a prefix: `chosen`. */
export function parseNote(raw, chosen = "note") {
  const match = PREFIX.exec(raw);
  const kind = match && BY_PREFIX[match[1].toLowerCase()];
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
