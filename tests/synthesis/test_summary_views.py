"""The summary pages: who may do what, the htmx partials, marking final, the exports."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.test import Client

from heard.interviews.models import Interview, NoteKind
from heard.synthesis.models import Bearing, PointSummary, Quote, Stance, Summary
from heard.synthesis.summaries import checks, services
from tests.support.calls import Call
from tests.support.personas import Team
from tests.support.urls import summary_url

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script><b>bold</b>'


@pytest.fixture
def summary(call: Call, team: Team) -> Summary:
    return services.start_summary(call.interview, team.owner)


def htmx(client: Client, address: str, data: dict[str, str]):  # type: ignore[no-untyped-def]
    return client.post(address, data, headers={"HX-Request": "true"})


def test_an_editor_starts_the_summary_from_the_wrapup(call, owner_client):
    call.note(NoteKind.QUOTE, "We need to be efficient", 4, call.questions[0])
    page = owner_client.get(summary_url("detail", call.interview))
    assert b"Start the summary" in page.content
    response = owner_client.post(summary_url("start", call.interview))
    assert response.url == summary_url("detail", call.interview)
    page = owner_client.get(response.url)
    assert page.status_code == 200
    assert b"We need to be efficient" in page.content
    assert b"No stance yet" in page.content
    assert Summary.objects.get().author.email == "olivia@acme.example"


def test_an_unfinished_interview_has_no_summary_yet(call, owner_client):
    call.interview.status = "scheduled"
    call.interview.save()
    response = owner_client.post(summary_url("start", call.interview), follow=True)
    assert b"end the call in the live companion" in response.content
    assert not Summary.objects.exists()


def test_observers_read_the_summary_without_its_controls(call, team, summary, observer_client):
    note = call.note(NoteKind.QUOTE, "Words", 4, call.questions[0])
    services.add_quote(summary, call.points[0], team.owner, note)
    page = observer_client.get(summary_url("detail", call.interview))
    assert page.status_code == 200
    assert b"Words" in page.content
    assert b"Mark final" not in page.content
    assert b"Add<span" not in page.content


def test_a_point_of_another_study_or_a_note_of_another_interview_is_404(
    call, team, summary, owner_client
):
    from tests.support import factories

    other_study = factories.study(team.workspace)
    foreign_point = factories.point(other_study)
    other = factories.interview(call.interview.study, guide=call.interview.guide)
    foreign_note = call.note(NoteKind.QUOTE, "Not here", 3, interview=other)
    stance = owner_client.post(
        summary_url("stance", call.interview, point_pk=foreign_point.pk), {"stance": "supports"}
    )
    assert stance.status_code == 404
    add = owner_client.post(
        summary_url("quote_add", call.interview),
        {"point": str(call.points[0].pk), "note": str(foreign_note.pk)},
    )
    assert add.status_code == 404
    assert not Quote.objects.exists()


def test_htmx_writes_answer_with_their_part_and_the_checks(call, team, summary, teammate_client):
    note = call.note(NoteKind.QUOTE, "We need to be efficient", 4, call.questions[0])
    point = call.points[0].pk
    added = htmx(
        teammate_client,
        summary_url("quote_add", call.interview),
        {"point": str(point), "note": str(note.pk)},
    )
    html = added.content.decode()
    assert f'id="quotes-{point}"' in html
    assert 'id="checks" aria-labelledby="checks-h" hx-swap-oob="true"' in html
    quote = Quote.objects.get()
    assert (quote.text, quote.source_text, quote.source_seconds) == (note.text, note.text, 240)
    assert f"#note-{note.pk}" in html

    marked = htmx(
        teammate_client,
        summary_url("quote_edit", call.interview, quote_pk=quote.pk),
        {"bearing": "for"},
    )
    assert 'value="for" class="seg seg--for" aria-pressed="true"' in marked.content.decode()
    quote.refresh_from_db()
    assert (quote.bearing, quote.text) == (Bearing.FOR, note.text)

    stance = htmx(
        teammate_client,
        summary_url("stance", call.interview, point_pk=point),
        {"stance": "supports"},
    )
    assert f'id="stance-{point}"' in stance.content.decode()
    heard = htmx(
        teammate_client,
        summary_url("heard", call.interview, point_pk=point),
        {"what_we_heard": "Yes."},
    )
    assert "Saved" in heard.content.decode()
    row = PointSummary.objects.get()
    assert (row.stance, row.what_we_heard, row.updated_by) == ("supports", "Yes.", team.teammate)


def test_without_javascript_each_write_comes_back_to_its_point(call, summary, owner_client):
    point = call.points[1].pk
    response = owner_client.post(
        summary_url("stance", call.interview, point_pk=point), {"stance": "contradicts"}
    )
    assert response.url == summary_url("detail", call.interview) + f"#point-{point}"
    response = owner_client.post(
        summary_url("text", call.interview, section="surprises"), {"text": "Fax!"}
    )
    assert response.url == summary_url("detail", call.interview) + "#text-surprises"
    assert Summary.objects.get().surprises == "Fax!"
    assert (
        owner_client.post(summary_url("text", call.interview, section="status"), {}).status_code
        == 404
    )


def test_writes_change_one_field_so_concurrent_edits_keep_each_other(call, team, summary):
    point = call.points[0]
    services.set_point_field(summary, point, team.owner, "what_we_heard", "Owner's reading")
    services.set_point_field(summary, point, team.teammate, "stance", Stance.MIXED)
    services.set_text(summary, "surprises", "Teammate's surprise")
    services.set_text(summary, "main_pains", "Owner's pains")
    row = PointSummary.objects.get()
    assert (row.what_we_heard, row.stance) == ("Owner's reading", Stance.MIXED)
    summary.refresh_from_db()
    assert (summary.surprises, summary.main_pains) == ("Teammate's surprise", "Owner's pains")


def test_picking_the_same_note_twice_keeps_one_quote(call, team, summary):
    note = call.note(NoteKind.QUOTE, "Words", 4, call.questions[0])
    first = services.add_quote(summary, call.points[0], team.owner, note)
    again = services.add_quote(summary, call.points[0], team.teammate, note)
    assert first.pk == again.pk
    assert Quote.objects.count() == 1


def test_an_empty_quote_is_refused_and_kept(call, team, summary, owner_client):
    note = call.note(NoteKind.QUOTE, "Words", 4, call.questions[0])
    quote = services.add_quote(summary, call.points[0], team.owner, note)
    response = owner_client.post(
        summary_url("quote_edit", call.interview, quote_pk=quote.pk), {"text": "  "}, follow=True
    )
    assert b"A quote needs its words" in response.content
    quote.refresh_from_db()
    assert quote.text == "Words"


def test_marking_final_needs_the_checks_confirmed(call, team, summary, owner_client):
    page = owner_client.get(summary_url("detail", call.interview))
    seen = page.context["seen"]
    assert len(page.context["checks"]) == 3  # three points without a stance
    refused = owner_client.post(
        summary_url("finalise", call.interview), {"seen": seen}, follow=True
    )
    assert b"Confirm that you looked at the checks" in refused.content
    stale = owner_client.post(
        summary_url("finalise", call.interview), {"seen": "old", "acknowledged": "1"}, follow=True
    )
    assert b"Look at them again" in stale.content
    summary.refresh_from_db()
    assert not summary.is_final

    owner_client.post(summary_url("finalise", call.interview), {"seen": seen, "acknowledged": "1"})
    summary.refresh_from_db()
    assert summary.is_final
    assert summary.finalised_by == team.owner
    assert [c["point"] for c in summary.acknowledged_checks] == ["VP1", "VP2", "VP3"]


def test_a_final_summary_is_read_only_until_reopened(call, team, summary, owner_client):
    services.finalise(summary, team.owner, seen=_seen(summary), acknowledged=True)
    page = owner_client.get(summary_url("detail", call.interview))
    assert b"Reopen to change it" in page.content
    assert b"Save what we heard" not in page.content
    point = call.points[0].pk
    refused = htmx(
        owner_client,
        summary_url("heard", call.interview, point_pk=point),
        {"what_we_heard": "Late"},
    )
    html = refused.content.decode()
    assert "This summary is final. Reopen it to change it." in html
    assert ">Late</textarea>" in html  # what was typed comes back, not lost
    assert not PointSummary.objects.exists()
    with pytest.raises(services.SummaryIsFinal):
        services.set_text(summary, "surprises", "Late")

    owner_client.post(summary_url("reopen", call.interview))
    summary.refresh_from_db()
    assert not summary.is_final
    assert summary.acknowledged_checks == []


def _seen(summary: Summary) -> str:
    return checks.fingerprint(checks.objectivity_checks(services.entries(summary)))


def test_the_markdown_export(call, team, summary, owner_client):
    note = call.note(NoteKind.QUOTE, "We rebuild *every* report\nby hand", 7, call.questions[0])
    quote = services.add_quote(summary, call.points[0], team.owner, note)
    services.edit_quote(quote, bearing=Bearing.FOR)
    services.set_point_field(summary, call.points[0], team.owner, "stance", Stance.SUPPORTS)
    services.set_point_field(summary, call.points[0], team.owner, "what_we_heard", "Manual work.")
    services.set_text(summary, "surprises", "# They print reports")
    response = owner_client.get(summary_url("markdown", call.interview))
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="summary-')
    assert response["Content-Disposition"].endswith('-nickole-barros.md"')
    text = response.content.decode()
    assert text.startswith("# Interview summary: Nickole Barros\n\nBrightpath\n")
    wrapup = f"http://testserver/w/{team.workspace.slug}/interviews/{call.interview.pk}/wrap-up/"
    assert (
        "### VP1: Small teams rebuild reports by hand every week\n\n"
        "**Stance:** Supports\n\n"
        "**What they said**\n\n"
        "> We rebuild \\*every\\* report\n> by hand\n>\n"
        f"> — at 07:00 ([note]({wrapup}#note-{note.pk})), for the point\n\n"
        "**What we heard**\n\nManual work.\n"
    ) in text
    assert (
        "### VP2: They would trust scheduled reports unreviewed\n\n**Stance:** Not set yet" in text
    )
    assert "_No quote picked._" in text
    assert "## Surprises\n\n\\# They print reports\n" in text
    assert "## Open follow-ups\n\n_Nothing noted._" in text


def test_the_markdown_spells_months_with_their_capitals(call, team, summary, owner_client):
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    Interview.objects.filter(pk=call.interview.pk).update(
        time_zone="Europe/Berlin",
        started_at=datetime.datetime(2027, 1, 15, 14, 30, tzinfo=berlin),
    )
    services.finalise(summary, team.owner, seen=_seen(summary), acknowledged=True)
    Summary.objects.filter(pk=summary.pk).update(
        finalised_at=datetime.datetime(2027, 2, 3, 9, 0, tzinfo=berlin)
    )
    text = owner_client.get(summary_url("markdown", call.interview)).content.decode()
    assert "- Interview: Friday 15 January 2027, 14:30 (Europe/Berlin)\n" in text
    assert "- Summary by Olivia Owner: final since 3 February 2027\n" in text


def test_html_in_quotes_and_names_is_shown_as_text(call, team, summary, owner_client):
    participant = call.interview.participant
    participant.name = HOSTILE
    participant.save()
    note = call.note(NoteKind.QUOTE, HOSTILE, 4, call.questions[0])
    services.add_quote(summary, call.points[0], team.owner, note)
    services.set_point_field(summary, call.points[0], team.owner, "what_we_heard", HOSTILE)
    escaped = b"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;"
    for name in ("detail", "print"):
        page = owner_client.get(summary_url(name, call.interview))
        assert HOSTILE.encode() not in page.content, name
        assert page.content.count(escaped) >= 3, name
    markdown = owner_client.get(summary_url("markdown", call.interview)).content.decode()
    assert "<script>" not in markdown
    assert "<b>" not in markdown
    assert '\\<script\\>alert("x")\\</script\\>\\<b\\>bold\\</b\\>' in markdown


def test_the_printable_page_reads_as_a_summary(call, team, summary, owner_client):
    note = call.note(NoteKind.QUOTE, "Mondays are lost", 4, call.questions[0])
    services.add_quote(summary, call.points[0], team.owner, note)
    page = owner_client.get(summary_url("print", call.interview))
    html = page.content.decode()
    assert "@media print" not in html  # the print rules live in the stylesheet
    assert "Mondays are lost" in html
    assert "04:00 into the call" in html
    assert "What we heard" in html
    assert "Main pains and how they measure them" in html


def test_the_study_page_lists_summaries_with_their_status(call, team, summary, owner_client):
    from django.urls import reverse

    page = owner_client.get(
        reverse("studies:detail", args=[team.workspace.slug, call.interview.study.pk])
    )
    assert summary_url("detail", call.interview).encode() in page.content
    assert b"badge--summary-draft" in page.content


def test_the_other_notes_are_searched_without_javascript_and_with_htmx(call, summary, owner_client):
    kpi = call.note(NoteKind.KPI, "Hours per report: about three", 5, call.questions[0])
    call.note(NoteKind.NOTE, "Their CEO reads every report", 2)
    vp3 = call.points[2]
    address = summary_url("detail", call.interview)
    page = owner_client.get(address, {"find": "hours", "point": vp3.pk}).content.decode()
    assert "1 of 2 notes hold “hours”." in page
    others = page[page.index(f'id="others-{vp3.pk}"') :]
    others = others[: others.index("</details>")]
    assert "Hours per report: about three" in others
    assert "Their CEO reads every report" not in others
    assert 'value="hours" placeholder' in page  # the box keeps the words

    part = owner_client.get(
        address, {"find": "CEO", "point": vp3.pk}, headers={"HX-Request": "true"}
    ).content.decode()
    assert part.strip().startswith(f'<div id="others-{vp3.pk}"')
    assert "Their CEO reads every report" in part
    assert "Hours per report" not in part

    added = owner_client.post(
        summary_url("quote_add", call.interview),
        {"point": vp3.pk, "note": str(kpi.pk), "find": "hours"},
    )
    assert added.url == f"{address}?find=hours&point={vp3.pk}#point-{vp3.pk}"
    assert Quote.objects.get().point_summary.point == vp3


def test_a_kpi_moves_to_its_pain_without_javascript_and_with_htmx(call, owner_client):
    q1, q2, _, _ = call.questions
    call.note(NoteKind.PAIN, "Rebuilding reports weekly", 5, q1)
    unread = call.note(NoteKind.PAIN, "Reports go out unread", 8, q2)
    kpi = call.note(NoteKind.KPI, "Complaints per month", 9, q1)
    owner_client.post(summary_url("start", call.interview))
    address = summary_url("measure", call.interview, note_id=kpi.pk)
    page = owner_client.get(summary_url("detail", call.interview)).content.decode()
    assert f'action="{address}"' in page

    moved = htmx(owner_client, address, {"pain": str(unread.pk)})
    html = moved.content.decode()
    assert html.lstrip().startswith('<section class="card text-card" id="text-main_pains"')
    assert f'<option value="{unread.pk}" selected dir="auto">' in html
    assert "- Reports go out unread\n  Measured by: Complaints per month</textarea>" in html

    owner_client.post(summary_url("text", call.interview, section="main_pains"), {"text": "Ours."})
    kept = owner_client.post(address, {"pain": ""}, follow=True)
    assert b"Your text differs from what the notes gave" in kept.content
    assert Summary.objects.get().main_pains == "Ours."
    assert Summary.objects.get().measures == {str(kpi.pk): ""}

    assert owner_client.post(address, {"pain": str(kpi.pk)}).status_code == 404  # not a pain
    not_a_kpi = summary_url("measure", call.interview, note_id=unread.pk)
    assert owner_client.post(not_a_kpi, {"pain": ""}).status_code == 404
