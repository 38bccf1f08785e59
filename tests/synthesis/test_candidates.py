"""What the notes offer a summary: candidate quotes per point, pains with their measures,
requests with their root pains, follow-ups, and the texts pre-filled from them."""

from __future__ import annotations

import pytest
from django.utils import timezone

from heard.interviews.models import NoteKind
from heard.synthesis.models import Stance
from heard.synthesis.summaries import notes, services
from tests.support import factories

pytestmark = pytest.mark.django_db


def test_each_point_is_offered_the_notes_of_its_own_questions(call, team):
    vp1, vp2, vp3 = call.points
    q1, q2, q3, unlinked_question = call.questions
    on_vp1 = call.note(NoteKind.PAIN, "Mondays go to rebuilding reports", 5, q1)
    on_vp2 = call.note(NoteKind.QUOTE, "I never send a report unread", 9, q2)
    on_vp3 = call.note(NoteKind.KPI, "Hours per report: about three", 12, q3)
    loose = call.note(NoteKind.NOTE, "Their CEO reads every report", 2)
    off_point = call.note(NoteKind.COMPETITION, "Tried Looker Studio", 20, unlinked_question)
    summary = services.start_summary(call.interview, team.owner)
    found = services.offered(summary, services.notes_of(summary))
    assert found.by_point == {vp1.pk: [on_vp1], vp2.pk: [on_vp2], vp3.pk: [on_vp3]}
    assert found.unlinked == [loose, off_point]


def test_a_question_serving_two_points_offers_its_notes_to_both(call, team):
    vp1, vp2, _ = call.points
    call.questions[0].points.add(vp2)
    said = call.note(NoteKind.QUOTE, "Both at once", 5, call.questions[0])
    summary = services.start_summary(call.interview, team.owner)
    found = services.offered(summary, services.notes_of(summary))
    assert found.by_point[vp1.pk] == [said]
    assert found.by_point[vp2.pk] == [said]


def test_deleted_notes_and_other_interviews_notes_are_never_offered(call, team):
    vp1 = call.points[0]
    kept = call.note(NoteKind.QUOTE, "Kept", 3, call.questions[0])
    call.note(NoteKind.QUOTE, "Deleted", 4, call.questions[0], deleted_at=timezone.now())
    other = factories.interview(call.interview.study, guide=call.interview.guide)
    call.note(NoteKind.QUOTE, "Another customer", 5, call.questions[0], interview=other)
    summary = services.start_summary(call.interview, team.owner)
    found = services.offered(summary, services.notes_of(summary))
    assert found.by_point[vp1.pk] == [kept]
    assert found.unlinked == []


def test_quotes_come_first_then_pains_and_kpis_and_follow_ups_are_not_offered(call, team):
    q1 = call.questions[0]
    note = call.note(NoteKind.NOTE, "A plain note", 1, q1)
    kpi = call.note(NoteKind.KPI, "A KPI", 2, q1)
    pain = call.note(NoteKind.PAIN, "A pain", 3, q1)
    quote = call.note(NoteKind.QUOTE, "Their words", 4, q1)
    call.note(NoteKind.FOLLOW_UP, "Send the beta", 5, q1)
    call.note(NoteKind.FOLLOW_UP, "Call back in May", 6)
    summary = services.start_summary(call.interview, team.owner)
    found = services.offered(summary, services.notes_of(summary))
    assert found.by_point[call.points[0].pk] == [quote, pain, kpi, note]
    assert found.unlinked == []


def test_a_picked_note_leaves_the_candidates_of_its_point_only(call, team):
    vp1, vp2, _ = call.points
    call.questions[0].points.add(vp2)
    said = call.note(NoteKind.QUOTE, "Both at once", 5, call.questions[0])
    summary = services.start_summary(call.interview, team.owner)
    services.add_quote(summary, vp1, team.owner, said)
    shown = services.entries(summary, offered=services.offered(summary, services.notes_of(summary)))
    assert [entry.candidates for entry in shown[:2]] == [[], [said]]
    assert [q.text for q in shown[0].quotes] == ["Both at once"]


def test_stances_start_unset_and_nothing_is_picked_for_the_team(call, team):
    call.note(NoteKind.QUOTE, "Their words", 4, call.questions[0])
    summary = services.start_summary(call.interview, team.owner)
    shown = services.entries(summary)
    assert [entry.stance for entry in shown] == [Stance.UNSET] * 3
    assert all(entry.quotes == [] for entry in shown)


def test_a_kpi_goes_with_the_pain_of_its_question_or_the_pain_just_before(call):
    q1, q2, q3, _ = call.questions
    weekly = call.note(NoteKind.PAIN, "Rebuilding reports weekly", 5, q1)
    unread = call.note(NoteKind.PAIN, "Reports go out unread", 30, q2)
    same_question = call.note(NoteKind.KPI, "Three hours a week", 40, q1)
    soon_after = call.note(NoteKind.KPI, "Two complaints a month", 38, q3)
    much_later = call.note(NoteKind.KPI, "NPS of 31", 55)
    found = notes.digest(list(services.kept_notes(call.interview)))
    assert [(p.note, p.measures) for p in found.pains] == [
        (weekly, [same_question]),
        (unread, [soon_after]),
    ]
    assert found.loose_measures == [much_later]


def test_a_kpi_measures_the_pain_asked_about_before_it_not_one_noted_after(call):
    """ "How do you measure that?" follows the pain: a pain of the same question noted after
    the KPI (a why-ladder's root, say) is not what it measures, however close in time."""
    q1 = call.questions[0]
    asked = call.note(NoteKind.PAIN, "Month-end close takes three days", 5, q1)
    kpi = call.note(NoteKind.KPI, "Days from month-end to the board pack", 8, q1)
    later = call.note(NoteKind.PAIN, "Nobody trusts stitched numbers", 10, q1)
    found = notes.digest(list(services.kept_notes(call.interview)))
    assert [(p.note, p.measures) for p in found.pains] == [(asked, [kpi]), (later, [])]


def test_within_one_second_a_kpi_measures_the_pain_saved_before_it(call):
    """Notes typed fast share a second's stamp: the pain saved after the KPI in that same
    second (a why-ladder's root) is still noted after it."""
    q1 = call.questions[0]
    asked = call.note(NoteKind.PAIN, "Month-end close takes three days", 0, q1)
    kpi = call.note(NoteKind.KPI, "Days from month-end to the board pack", 1, q1)
    later = call.note(NoteKind.PAIN, "Nobody trusts stitched numbers", 1, q1)
    assert later.created_at > kpi.created_at
    found = notes.digest(list(services.kept_notes(call.interview)))
    assert [(p.note, p.measures) for p in found.pains] == [(asked, [kpi]), (later, [])]


def test_a_kpi_noted_before_any_pain_of_its_question_goes_with_the_nearest_after(call):
    q1 = call.questions[0]
    kpi = call.note(NoteKind.KPI, "Hours per report", 4, q1)
    first = call.note(NoteKind.PAIN, "Reports take all morning", 6, q1)
    call.note(NoteKind.PAIN, "Numbers disagree", 9, q1)
    found = notes.digest(list(services.kept_notes(call.interview)))
    assert found.pains[0].note == first
    assert found.pains[0].measures == [kpi]


def test_a_solution_request_reaches_the_latest_root_pain_of_its_ladder(call):
    request = call.note(NoteKind.SOLUTION_REQUEST, "Automatic scheduling", 9)
    why = call.note(NoteKind.WHY, "So Mondays are free", 10, ladder_of=request)
    call.note(NoteKind.PAIN, "First guess", 11, ladder_of=request)
    root = call.note(NoteKind.PAIN, "Mondays go to rebuilding reports", 12, ladder_of=request)
    bare = call.note(NoteKind.SOLUTION_REQUEST, "Dark mode", 20)
    follow_up = call.note(NoteKind.FOLLOW_UP, "Send the beta", 30)
    found = notes.digest(list(services.kept_notes(call.interview)))
    assert [(r.note, r.whys, r.root_pain) for r in found.requests] == [
        (request, [why], root),
        (bare, [], None),
    ]
    assert found.follow_ups == [follow_up]


def test_the_summary_starts_with_its_texts_filled_from_the_notes(call, team):
    q1 = call.questions[0]
    request = call.note(NoteKind.SOLUTION_REQUEST, "Automatic scheduling", 9)
    call.note(
        NoteKind.PAIN, "Mondays go to rebuilding\nthe same reports", 10, q1, ladder_of=request
    )
    call.note(NoteKind.KPI, "Three hours a week", 12, q1)
    call.note(NoteKind.FOLLOW_UP, "Send the beta", 30)
    summary = services.start_summary(call.interview, team.owner)
    assert summary.main_pains == (
        "- Mondays go to rebuilding\n  the same reports\n  Measured by: Three hours a week"
    )
    assert summary.solution_requests == (
        "- Automatic scheduling\n  Root pain: Mondays go to rebuilding\n  the same reports"
    )
    assert summary.follow_ups == "- Send the beta"
    assert summary.surprises == ""
    assert summary.author == team.owner


def test_starting_twice_keeps_the_first_summary(call, team):
    first = services.start_summary(call.interview, team.owner)
    services.set_text(first, "surprises", "They print every report.")
    again = services.start_summary(call.interview, team.teammate)
    assert again.pk == first.pk
    assert again.author == team.owner
    assert again.surprises == "They print every report."


def test_a_summary_waits_for_the_end_of_the_call(call, team):
    call.interview.status = "live"
    call.interview.save()
    with pytest.raises(services.SummaryError, match="over"):
        services.start_summary(call.interview, team.owner)


def test_every_note_is_offered_under_every_point_its_own_questions_first(call, team):
    """A KPI typed while the question of another point was on screen still goes under the
    KPI point: after the notes of that point's questions, with every other note."""
    vp1, _, vp3 = call.points
    q1, _, q3, _ = call.questions
    kpi = call.note(NoteKind.KPI, "Hours per report: about three", 5, q1)
    pain = call.note(NoteKind.PAIN, "Mondays go to reports", 4, q1)
    on_vp3 = call.note(NoteKind.QUOTE, "We count hours, roughly", 9, q3)
    loose = call.note(NoteKind.NOTE, "Their CEO reads every report", 2)
    call.note(NoteKind.FOLLOW_UP, "Send the beta", 30)
    summary = services.start_summary(call.interview, team.owner)
    offered = services.offered(summary, services.notes_of(summary))
    first, second, third = services.entries(summary, offered=offered)
    assert (third.candidates, third.others) == ([on_vp3], [pain, kpi, loose])
    assert (first.candidates, first.others) == ([pain, kpi], [on_vp3, loose])
    assert second.candidates == []
    assert second.others == [on_vp3, pain, kpi, loose]

    services.add_quote(summary, vp3, team.owner, kpi)
    services.add_quote(summary, vp1, team.owner, on_vp3)
    first, _, third = services.entries(summary, offered=offered)
    assert third.others == [pain, loose]
    assert first.others == [loose]


def test_the_other_notes_of_a_point_can_be_searched(call, team):
    q1 = call.questions[0]
    kpi = call.note(NoteKind.KPI, "Hours per report: about THREE", 5, q1)
    call.note(NoteKind.PAIN, "Mondays go to reports", 4, q1)
    other = call.note(NoteKind.NOTE, "Three people build reports", 2)
    summary = services.start_summary(call.interview, team.owner)
    offered = services.offered(summary, services.notes_of(summary))
    vp3 = call.points[2]
    search = services.Search("three report", vp3.pk)
    first, _, third = services.entries(summary, offered=offered, search=search)
    assert (third.others, third.others_count) == ([kpi, other], 3)
    assert len(first.others) == 1  # the search is for VP3's list only
    found = services.entries(summary, offered=offered, search=services.Search("kpi"))
    assert [entry.others for entry in found] == [[], [kpi], [kpi]]


def test_a_note_tied_to_another_question_after_the_call_follows_it(call, team):
    from heard.interviews.live.notes import set_note_question

    q1, _, q3, _ = call.questions
    kpi = call.note(NoteKind.KPI, "Hours per report: about three", 5, q1)
    summary = services.start_summary(call.interview, team.owner)
    set_note_question(call.interview, team.teammate, kpi.pk, q3.pk)
    offered = services.offered(summary, services.notes_of(summary))
    first, _, third = services.entries(summary, offered=offered)
    assert (first.candidates, third.candidates) == ([], [kpi])


def test_the_team_moves_a_kpi_to_the_pain_it_measures(call, team):
    q1, q2, _, _ = call.questions
    weekly = call.note(NoteKind.PAIN, "Rebuilding reports weekly", 5, q1)
    unread = call.note(NoteKind.PAIN, "Reports go out unread", 8, q2)
    kpi = call.note(NoteKind.KPI, "Complaints per month", 9, q1)  # beside the wrong pain
    summary = services.start_summary(call.interview, team.owner)
    assert summary.main_pains == (
        "- Rebuilding reports weekly\n  Measured by: Complaints per month\n- Reports go out unread"
    )
    assert services.move_measure(summary, kpi, unread) is True
    summary.refresh_from_db()
    assert summary.main_pains == (
        "- Rebuilding reports weekly\n- Reports go out unread\n  Measured by: Complaints per month"
    )
    found = notes.digest(services.notes_of(summary), summary.measures)
    assert [(p.note, p.measures) for p in found.pains] == [(weekly, []), (unread, [kpi])]

    assert services.move_measure(summary, kpi, None) is True
    summary.refresh_from_db()
    assert summary.main_pains.endswith(
        "- Measure, with no pain noted beside it: Complaints per month"
    )

    # Once the team writes the pains in its own words, moving a KPI leaves the text alone.
    services.set_text(summary, "main_pains", "Mondays, and unread reports.")
    assert services.move_measure(summary, kpi, weekly) is False
    summary.refresh_from_db()
    assert summary.main_pains == "Mondays, and unread reports."
    found = notes.digest(services.notes_of(summary), summary.measures)
    assert found.pains[0].measures == [kpi]

    with pytest.raises(services.SummaryError, match="not a KPI"):
        services.move_measure(summary, weekly, unread)
    with pytest.raises(services.SummaryError, match="not a pain"):
        services.move_measure(summary, kpi, kpi)


def test_a_kpi_whose_chosen_pain_was_deleted_goes_back_beside_the_nearest(call, team):
    q1 = call.questions[0]
    near = call.note(NoteKind.PAIN, "Rebuilding reports weekly", 5, q1)
    chosen = call.note(NoteKind.PAIN, "Reports go out unread", 20)
    kpi = call.note(NoteKind.KPI, "Hours a week", 6, q1)
    found = notes.digest([near, kpi, chosen], {str(kpi.pk): str(chosen.pk)})
    assert [p.measures for p in found.pains] == [[], [kpi]]
    found = notes.digest([near, kpi], {str(kpi.pk): str(chosen.pk)})
    assert found.pains[0].measures == [kpi]
