// The server's enums (its TextChoices) that the screen uses, by name as in Python: NoteKind.PAIN
// is whatever value the server gives PAIN. Labels.NoteKind maps a value to its label, for the
// enums whose labels the screen shows. The page's "live-config" fills them (useEnums) before any
// part of the screen is set up; until then they are empty, so no module reads them when loaded.

export const NoteKind = {};
export const InterviewStatus = {};
export const Consent = {};
export const QuestionPriority = {};
export const QuestionStatus = {};

const ENUMS = { NoteKind, InterviewStatus, Consent, QuestionPriority, QuestionStatus };

export const Labels = { NoteKind: {}, InterviewStatus: {}, QuestionPriority: {}, QuestionStatus: {} };

/** Take the enums and labels the server sent ({enums: {NoteKind: {PAIN: "pain"}}, labels: {…}}). */
export function useEnums({ enums, labels }) {
  for (const [name, members] of Object.entries(ENUMS)) {
    if (!enums || !enums[name]) throw new Error(`The live config lacks the enum ${name}.`);
    Object.assign(members, enums[name]);
  }
  for (const [name, byValue] of Object.entries(Labels)) {
    if (!labels || !labels[name]) throw new Error(`The live config lacks the labels of ${name}.`);
    Object.assign(byValue, labels[name]);
  }
}
