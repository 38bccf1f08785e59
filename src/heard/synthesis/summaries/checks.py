"""The objectivity checks of a summary: what deserves a second look before it is marked final.

A pure function of the summary as read (`services.entries`): the checks point at what to look
at again; they never stop the team from marking the summary final.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from heard.core.bidi import isolated
from heard.studies.models import ValidationPoint
from heard.synthesis.models import Bearing, Quote, Stance

if TYPE_CHECKING:
    from heard.synthesis.summaries.services import Entry


class Check(StrEnum):
    NOT_SET = "not_set"
    SILENT = "silent"
    NO_QUOTE = "no_quote"
    UNMARKED = "unmarked"
    AGAINST_STANCE = "against_stance"
    EDITED = "edited"
    SOURCE_GONE = "source_gone"


@dataclass(frozen=True)
class CheckResult:
    """One check that fires, on one point (and one quote, for the checks of a quote)."""

    check: Check
    point: ValidationPoint
    message: str
    quote: Quote | None = None

    def record(self) -> dict[str, Any]:
        return {"check": str(self.check), "point": self.point.label, "message": self.message}


# A stance that takes a side needs a quote behind it.
TAKES_A_SIDE = (Stance.SUPPORTS, Stance.CONTRADICTS, Stance.MIXED)


def objectivity_checks(points: list[Entry]) -> list[CheckResult]:
    """What deserves a second look before the summary is final, point by point.

    - a point with no stance yet, or left silent (nothing in the interview speaks to it);
    - an interpretation, or a stance that takes a side, with no quote behind it;
    - a stance that takes a side while none of its quotes is marked for or against it yet
      (saying so: mark them);
    - a stance its own quotes contradict, by the for/against marks people give the quotes:
      "supports" with a quote marked against (or none marked for), "contradicts" likewise,
      "mixed" without a quote on each side, "silent" with quotes picked;
    - a quote whose words are no longer the note's (an excerpt, word for word, is fine), or
      whose note was deleted from the call; the same for a quote from a highlight of the
      transcript (the highlight's words, the highlight removed).
    """
    results: list[CheckResult] = []
    for entry in points:
        results += [CheckResult(check, entry.point, message) for check, message in _stance(entry)]
        for quote in entry.quotes:
            results += [
                CheckResult(check, entry.point, message, quote) for check, message in _source(quote)
            ]
    return results


def _stance(entry: Entry) -> list[tuple[Check, str]]:
    quotes = entry.quotes
    found = []
    if entry.stance == Stance.UNSET:
        found.append((Check.NOT_SET, "No stance yet: pick one, or “silent” if nothing was said."))
    elif entry.stance == Stance.SILENT:
        found.append(
            (Check.SILENT, "Left silent: cover it in a follow-up or in the next interview.")
        )
    if not quotes:
        if entry.what_we_heard.strip():
            found.append((Check.NO_QUOTE, "“What we heard” has no quote behind it."))
        elif entry.stance in TAKES_A_SIDE:
            found.append((Check.NO_QUOTE, f"“{entry.stance_label}” has no quote behind it."))
        return found
    marked_for = sum(1 for quote in quotes if quote.bearing == Bearing.FOR)
    against = sum(1 for quote in quotes if quote.bearing == Bearing.AGAINST)
    if entry.stance in TAKES_A_SIDE and not (marked_for or against):
        # Nothing contradicts the stance yet: the quotes only wait to be marked.
        found.append((Check.UNMARKED, _unmarked(entry.stance, len(quotes))))
        return found
    message = _against_stance(entry.stance, len(quotes), marked_for, against)
    if message:
        found.append((Check.AGAINST_STANCE, message))
    return found


def _unmarked(stance: str, picked: int) -> str:
    quotes = "its quote is not" if picked == 1 else f"none of its {picked} quotes is"
    return (
        f"Marked “{Stance(stance).label.lower()}”, but {quotes} marked for or against it yet: "
        f"{MARK_THEM}"
    )


# What to do when quotes are not marked: the checks read the marks, never the words.
MARK_THEM = "mark each quote for or against the point."


def _against_stance(stance: str, picked: int, marked_for: int, against: int) -> str:
    unmarked = picked - marked_for - against
    sides = f"{marked_for} marked for, {against} against"
    sides += f", {unmarked} not marked" if unmarked else ""
    todo = f" Or {MARK_THEM}" if unmarked else ""
    if stance == Stance.SILENT:
        return f"Marked “silent”, yet {picked} quote{'s' if picked > 1 else ''} picked for it."
    if stance == Stance.SUPPORTS and (against or not marked_for):
        return f"Marked “supports”, but its quotes do not back it ({sides}). Mixed?{todo}"
    if stance == Stance.CONTRADICTS and (marked_for or not against):
        return f"Marked “contradicts”, but its quotes do not back it ({sides}). Mixed?{todo}"
    if stance == Stance.MIXED and not (marked_for and against):
        return f"Marked “mixed”, but its quotes are not on both sides ({sides}).{todo}"
    return ""


def _source(quote: Quote) -> list[tuple[Check, str]]:
    found = []
    excerpt = isolated(_excerpt(quote.text))  # the quote's own direction inside the sentence
    if not quote.is_verbatim:
        found.append(
            (Check.EDITED, f"A quote is not the {quote.source_name}'s words any more: “{excerpt}”.")
        )
    if quote.source_is_gone:
        gone = (
            "highlight was removed from the transcript"
            if quote.from_transcript
            else "note was deleted from the call"
        )
        found.append((Check.SOURCE_GONE, f"A quote's {gone}: “{excerpt}”."))
    return found


def _excerpt(text: str, length: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1].rstrip() + "…"


def fingerprint(results: list[CheckResult]) -> str:
    """Names the checks a person saw, so that confirming them confirms exactly those."""
    lines = "\n".join(f"{r.check}|{r.point.pk}|{r.message}" for r in results)
    return hashlib.sha256(lines.encode()).hexdigest()[:20]
