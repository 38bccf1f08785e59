// Pure rules of the why-ladder, apart from the page so they can be checked on their own.

import { NoteKind } from "./enums.js";

export const MAX_WHYS_DEFAULT = 5;

/** The whys and root pains logged under a solution request, oldest first (deleted ones left out). */
export function whysOf(notes, requestId) {
  const steps = [...notes.values()]
    .filter((note) => note.ladder_of === requestId && !note.deleted)
    .sort((a, b) => a.elapsed_seconds - b.elapsed_seconds || String(a.created_at).localeCompare(String(b.created_at)));
  return {
    whys: steps.filter((note) => note.kind === NoteKind.WHY),
    pains: steps.filter((note) => note.kind === NoteKind.PAIN),
  };
}
