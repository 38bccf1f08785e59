"""Findings are weighed by distinct interviews, participants, companies and segments; one
resting on a single interview is a single source, one with evidence against it is contested."""

from __future__ import annotations

import pytest

from heard.synthesis.findings import services as findings
from heard.synthesis.findings.services import FindingError
from heard.synthesis.findings.weight import Side, Source, Warning, warnings, weigh
from heard.synthesis.models import Evidence, EvidenceBearing
from tests.support import factories
from tests.support.findings import (
    BOARD,
    CLIENTS,
    EFFICIENT,
    MONDAYS,
    TEN_MINUTES,
    TWO_HOURS,
    Study3,
)
from tests.support.matrix import held, summarised

pytestmark = pytest.mark.django_db

FOR = EvidenceBearing.SUPPORTS
AGAINST = EvidenceBearing.CONTRADICTS


# The weighing rule, on crafted sources --------------------------------------------------------


def test_three_quotes_of_one_interview_weigh_as_one_interview():
    weight = weigh(Source(FOR, 1, 10, "Brightpath", "SMB") for _ in range(3))
    assert weight.supporting == Side(
        evidence=3, interviews=1, participants=1, companies=1, segments=1
    )
    assert weight.single_source
    assert not weight.contested


def test_many_interviews_are_counted_distinctly():
    weight = weigh(
        [
            Source(FOR, 1, 10, "Brightpath", "SMB"),
            Source(FOR, 2, 11, "  brightpath", "smb"),  # the same company, typed otherwise
            Source(FOR, 3, 12, "Northwind", "Mid-market"),
            Source(FOR, 3, 12, "Northwind", "Mid-market"),
            Source(FOR, 4, 13, "", ""),  # no company, no segment: not counted as one
        ]
    )
    assert weight.supporting == Side(
        evidence=5, interviews=4, participants=4, companies=2, segments=2
    )
    assert not weight.single_source


def test_a_participant_met_twice_is_two_interviews_and_one_participant():
    weight = weigh([Source(FOR, 1, 10, "A", "S"), Source(FOR, 2, 10, "A", "S")])
    assert (weight.supporting.interviews, weight.supporting.participants) == (2, 1)
    assert not weight.single_source


def test_any_evidence_against_makes_it_contested():
    weight = weigh([Source(FOR, 1, 10), Source(FOR, 2, 11), Source(AGAINST, 3, 12, "C", "S")])
    assert weight.contested
    assert weight.contradicting == Side(
        evidence=1, interviews=1, participants=1, companies=1, segments=1
    )
    assert not weight.unsupported
    kinds = [w.kind for w in warnings(weight)]
    assert kinds == ["contested"]


def test_single_source_and_contested_together():
    weight = weigh([Source(FOR, 1, 10), Source(AGAINST, 2, 11)])
    assert weight.single_source
    assert weight.contested
    assert [w.kind for w in warnings(weight)] == ["single_source", "contested"]


def test_no_evidence_and_only_against_say_so():
    assert [w.kind for w in warnings(weigh([]))] == ["no_evidence"]
    against = weigh([Source(AGAINST, 1, 10), Source(AGAINST, 2, 11)])
    assert against.unsupported
    assert not against.single_source  # nothing supports it at all
    assert [w.kind for w in warnings(against)] == ["unsupported", "contested"]


# On a study: evidence picked from its summaries -------------------------------------------------


def test_a_finding_resting_on_one_interview_is_a_single_source(study3: Study3, team):
    finding = study3.finding(
        team.owner, "Small teams lose a morning a week", supports=[MONDAYS, EFFICIENT]
    )
    [item] = findings.findings_of(study3.study)
    assert item.finding == finding
    assert item.weight.supporting == Side(
        evidence=2, interviews=1, participants=1, companies=1, segments=1
    )
    assert item.weight.single_source
    single = next(w for w in item.warnings if w.kind == "single_source")
    assert "Nickole Barros" in single.text


def test_a_finding_across_interviews_with_a_contradiction(study3: Study3, team):
    study3.finding(
        team.owner,
        "Small teams rebuild reports by hand",
        supports=[MONDAYS, TWO_HOURS],
        contradicts=[TEN_MINUTES],
    )
    findings.pick(
        study3.study.findings.get(),
        team.owner,
        FOR,
        cell=study3.cell(study3.tomas, 0),
    )
    [item] = findings.findings_of(study3.study)
    # Nickole and Tomás for it (a quote of each, and Tomás's whole cell): two interviews.
    assert item.weight.supporting == Side(
        evidence=3, interviews=2, participants=2, companies=2, segments=2
    )
    # Aiko works at "brightpath " in "smb": the same company and segment as Nickole's.
    assert item.weight.contradicting == Side(
        evidence=1, interviews=1, participants=1, companies=1, segments=1
    )
    assert not item.weight.single_source
    assert item.weight.contested
    assert [e.quote.text for e in item.contradicting] == [TEN_MINUTES]


def test_picking_twice_keeps_one_row_and_a_second_side_replaces_the_first(study3: Study3, team):
    finding = study3.finding(team.owner, "They will not trust it unreviewed", (1,))
    quote = study3.quote(BOARD)
    first = findings.pick(finding, team.owner, FOR, quote=quote)
    again = findings.pick(finding, team.teammate, FOR, quote=quote)
    assert first == again
    assert Evidence.objects.count() == 1
    assert again.added_by == team.owner  # the same mark again changes nothing
    turned = findings.pick(finding, team.teammate, AGAINST, quote=quote)
    assert turned.pk == first.pk
    assert (turned.bearing, turned.added_by) == (AGAINST, team.teammate)
    assert turned.updated_at > first.updated_at
    assert findings.pick(finding, team.owner, None, quote=quote) is None
    assert not Evidence.objects.exists()


def test_a_quote_and_its_cell_are_two_pieces_of_one_interview(study3: Study3, team):
    finding = study3.finding(team.owner, "Clients never get unreviewed reports", (1,))
    findings.pick(finding, team.owner, FOR, quote=study3.quote(CLIENTS))
    findings.pick(finding, team.owner, FOR, cell=study3.cell(study3.tomas, 1))
    [item] = findings.findings_of(study3.study)
    assert (item.weight.supporting.evidence, item.weight.supporting.interviews) == (2, 1)


def test_evidence_from_another_study_is_refused(study3: Study3, team):
    other = factories.study(team.workspace, title="Another study")
    point = factories.point(other)
    interview = held(other, factories.participant(team.workspace))
    summarised(interview, team.owner, [point], quotes=(("Elsewhere", 0, "for"),))
    finding = study3.finding(team.owner, "Ours")
    stranger = interview.summary.points.get().quotes.get()
    with pytest.raises(FindingError):
        findings.pick(finding, team.owner, FOR, quote=stranger)
    with pytest.raises(FindingError):
        findings.create_finding(study3.study, team.owner, "Theirs", [point])
    assert not Evidence.objects.exists()


def test_the_picker_offers_cells_that_say_something_and_marks_what_is_picked(study3: Study3, team):
    finding = study3.finding(team.owner, "Scheduled reports worry them", (1,), contradicts=[BOARD])
    entries = findings.picker(finding)
    assert [e.point.label for e in entries] == ["VP2", "VP1", "VP3"]  # its own point first
    vp2 = entries[0]
    assert vp2.linked
    assert vp2.picked == 1
    names = [cell.interview.participant.name for cell in vp2.cells]
    assert names == ["Nickole Barros", "Tomás Ortega"]  # Aiko said nothing on VP2
    nickole = vp2.cells[0]
    assert [q.quote.text for q in nickole.quotes] == [BOARD]
    assert nickole.quotes[0].picked.bearing == AGAINST
    assert nickole.picked is None
    assert entries[2].cells == []  # nobody wrote on VP3


def test_a_warning_names_a_participant_in_the_direction_of_their_script():
    text = "Everything for it comes from one interview (עדי <Levi>). One response is not a pattern."
    warning = Warning("single_source", "Single source", text, "עדי <Levi>")
    assert warning.html == (
        'Everything for it comes from one interview (<span dir="auto">עדי &lt;Levi&gt;</span>). '
        "One response is not a pattern."
    )
    assert Warning("contested", "Contested", "One <piece> against it.").html == (
        "One &lt;piece&gt; against it."
    )
