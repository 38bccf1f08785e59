"""The objectivity checks: crafted summaries, each with one thing to look at twice."""

from __future__ import annotations

from django.utils import timezone

from heard.interviews.models import Note, NoteKind
from heard.studies.models import ValidationPoint
from heard.synthesis.models import Bearing, Quote, Stance
from heard.synthesis.summaries.checks import Check, fingerprint, objectivity_checks
from heard.synthesis.summaries.services import Entry

POINT = ValidationPoint(pk=7, statement="Small teams rebuild reports by hand", position=0)
SAID = "We have a very small team, so we need to become more efficient."


def quote(
    text: str = SAID,
    bearing: str = Bearing.FOR,
    note_text: str = SAID,
    kind: str = NoteKind.QUOTE,
    deleted: bool = False,
) -> Quote:
    note = Note(kind=kind, text=note_text, deleted_at=timezone.now() if deleted else None)
    return Quote(text=text, source_text=note_text, note=note, bearing=bearing, source_seconds=61)


def entry(stance: str = Stance.SUPPORTS, heard: str = "Efficiency first.", *quotes: Quote) -> Entry:
    return Entry(POINT, stance=stance, what_we_heard=heard, quotes=list(quotes))


def checks(*entries: Entry) -> list[tuple[Check, str]]:
    return [(result.check, result.message) for result in objectivity_checks(list(entries))]


def fired(*entries: Entry) -> list[Check]:
    return [check for check, _ in checks(*entries)]


def test_a_clean_summary_raises_no_check():
    clean = [
        entry(Stance.SUPPORTS, "Efficiency first.", quote(), quote(bearing=Bearing.FOR)),
        entry(Stance.CONTRADICTS, "They review all.", quote(bearing=Bearing.AGAINST)),
        entry(Stance.MIXED, "Split.", quote(bearing=Bearing.FOR), quote(bearing=Bearing.AGAINST)),
    ]
    assert objectivity_checks(clean) == []


def test_a_point_with_no_stance_is_listed():
    assert fired(entry(Stance.UNSET, "", quote(bearing=Bearing.UNMARKED))) == [Check.NOT_SET]


def test_a_point_left_silent_is_listed():
    assert fired(entry(Stance.SILENT, "")) == [Check.SILENT]


def test_an_interpretation_with_no_quote_behind_it():
    assert checks(entry(Stance.UNSET, "They hate Mondays.")) == [
        (Check.NOT_SET, "No stance yet: pick one, or “silent” if nothing was said."),
        (Check.NO_QUOTE, "“What we heard” has no quote behind it."),
    ]


def test_a_stance_that_takes_a_side_with_no_quote_behind_it():
    assert checks(entry(Stance.SUPPORTS, "")) == [
        (Check.NO_QUOTE, "“Supports” has no quote behind it.")
    ]


def test_supports_with_only_quotes_that_speak_against_it_is_flagged():
    pains = [quote(bearing=Bearing.AGAINST, kind=NoteKind.PAIN) for _ in range(2)]
    assert checks(entry(Stance.SUPPORTS, "Backs it.", *pains)) == [
        (
            Check.AGAINST_STANCE,
            "Marked “supports”, but its quotes do not back it (0 marked for, 2 against). Mixed?",
        )
    ]


def test_supports_with_one_quote_against_among_quotes_for_is_flagged():
    found = fired(entry(Stance.SUPPORTS, "x", quote(), quote(bearing=Bearing.AGAINST)))
    assert found == [Check.AGAINST_STANCE]


def test_quotes_not_marked_yet_are_a_step_to_take_not_a_contradiction():
    one = entry(Stance.SUPPORTS, "x", quote(bearing=Bearing.UNMARKED))
    two = entry(Stance.MIXED, "x", quote(bearing=Bearing.UNMARKED), quote(bearing=Bearing.UNMARKED))
    assert checks(one, two) == [
        (
            Check.UNMARKED,
            "Marked “supports”, but its quote is not marked for or against it yet: "
            "mark each quote for or against the point.",
        ),
        (
            Check.UNMARKED,
            "Marked “mixed”, but none of its 2 quotes is marked for or against it yet: "
            "mark each quote for or against the point.",
        ),
    ]


def test_supports_with_a_quote_against_and_one_unmarked_says_to_mark_the_rest():
    found = checks(
        entry(Stance.SUPPORTS, "x", quote(bearing=Bearing.AGAINST), quote(bearing=Bearing.UNMARKED))
    )
    assert found == [
        (
            Check.AGAINST_STANCE,
            "Marked “supports”, but its quotes do not back it (0 marked for, 1 against, "
            "1 not marked). Mixed? Or mark each quote for or against the point.",
        )
    ]


def test_contradicts_with_a_quote_for_it_is_flagged():
    found = fired(entry(Stance.CONTRADICTS, "x", quote(bearing=Bearing.AGAINST), quote()))
    assert found == [Check.AGAINST_STANCE]


def test_mixed_needs_a_quote_on_each_side():
    assert fired(entry(Stance.MIXED, "x", quote(), quote())) == [Check.AGAINST_STANCE]


def test_silent_with_quotes_picked_is_flagged_twice():
    assert fired(entry(Stance.SILENT, "", quote())) == [Check.SILENT, Check.AGAINST_STANCE]


def test_a_quote_edited_away_from_its_note_is_flagged():
    reworded = quote(text="We need to become much more efficient, obviously.")
    [(check, message)] = checks(entry(Stance.SUPPORTS, "x", reworded))
    assert check == Check.EDITED
    assert (
        message == "A quote is not the note's words any more: "
        "“\u2068We need to become much more efficient, obviously.\u2069”."
    )


def test_an_excerpt_of_the_note_is_still_verbatim():
    assert objectivity_checks([entry(Stance.SUPPORTS, "x", quote(text="a very small  team"))]) == []


def test_a_note_corrected_after_the_pick_makes_the_quote_differ():
    picked = quote()
    picked.note.text = "We have a small team."  # type: ignore[union-attr]
    assert fired(entry(Stance.SUPPORTS, "x", picked)) == [Check.EDITED]


def test_a_quote_whose_note_was_deleted_keeps_its_words_and_is_flagged():
    gone = quote(deleted=True)
    assert fired(entry(Stance.SUPPORTS, "x", gone)) == [Check.SOURCE_GONE]
    assert gone.is_verbatim


def test_results_name_their_point_and_the_fingerprint_follows_them():
    [result] = objectivity_checks([entry(Stance.UNSET, "")])
    assert result.point is POINT
    assert result.record() == {
        "check": "not_set",
        "point": "VP1",
        "message": "No stance yet: pick one, or “silent” if nothing was said.",
    }
    assert fingerprint([result]) != fingerprint([])
    assert fingerprint([result]) == fingerprint(objectivity_checks([entry(Stance.UNSET, "")]))
