"""A small round of summarised interviews to weigh findings on, and to review them.

Three customers (two companies in two segments, one company typed in another case), each
summarised through the summary rules, plus people of the same segments never interviewed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from heard.accounts.models import User
from heard.interviews.models import Interview, InterviewStatus, Note, NoteKind
from heard.participants.models import Participant, Recontact
from heard.studies.models import PointKind, Study, ValidationPoint
from heard.synthesis.findings import services as findings
from heard.synthesis.models import Bearing, EvidenceBearing, Finding, Quote, Stance, Summary
from heard.synthesis.summaries import checks
from heard.synthesis.summaries import services as summaries
from tests.support import factories
from tests.support.matrix import held, summarised
from tests.support.personas import Team

SUPPORTS = EvidenceBearing.SUPPORTS
CONTRADICTS = EvidenceBearing.CONTRADICTS

MONDAYS = "Every Monday morning goes to rebuilding the same six reports."
EFFICIENT = "We definitely need to become more efficient."
TWO_HOURS = "Two hours a week, easily, and more at month end."
TEN_MINUTES = "Reports? Ten minutes a week, the template does it."
BOARD = "I would never send the board anything I have not looked at twice."
CLIENTS = "Scheduled reports to clients, unreviewed? Never."
# Words the team gave Nickole's quotes (`edit_words`): one reworded, one the notetaker's own.
REWORDED = "We must become efficient, and fast."
PARAPHRASE = "Mondays go to the same six reports."


@dataclass
class Study3:
    study: Study
    points: list[ValidationPoint]
    nickole: Interview
    tomas: Interview
    aiko: Interview
    peers: dict[str, Participant]
    """Never interviewed: Priya (SMB, said yes), Ole (SMB, said no), Wen (SMB, asked to wait),
    Mia (mid-market), Zed (enterprise)."""

    def quote(self, text: str) -> Quote:
        return Quote.objects.get(point_summary__summary__interview__study=self.study, text=text)

    def cell(self, interview: Interview, point: int):  # type: ignore[no-untyped-def]
        return interview.summary.points.get(point=self.points[point])

    def finding(
        self,
        author: User,
        statement: str,
        points: tuple[int, ...] = (0,),
        **evidence: Any,
    ) -> Finding:
        """A finding on `points`, with quotes by their words (`supports=[...]`,
        `contradicts=[...]`)."""
        found = findings.create_finding(
            self.study, author, statement, [self.points[i] for i in points]
        )
        for bearing in (SUPPORTS, CONTRADICTS):
            for text in evidence.get(bearing, ()):
                findings.pick(found, author, bearing, quote=self.quote(text))
        return found


def build_study(team: Team) -> Study3:
    ws = team.workspace
    study = factories.study(ws, title="Reporting pains")
    points = [
        factories.point(study, "Small teams rebuild reports by hand every week", 0),
        factories.point(study, "They would trust scheduled reports, unreviewed", 1),
        factories.point(study, "How do they measure reporting efficiency?", 2),
    ]
    points[2].kind = PointKind.QUESTION
    points[2].save()
    nickole = held(
        study,
        factories.participant(ws, name="Nickole Barros", company="Brightpath", segment="SMB"),
        days_ago=20,
    )
    summarised(
        nickole,
        team.owner,
        points,
        stances=(Stance.SUPPORTS, Stance.MIXED),
        heard=("A morning a week goes to reports.",),
        quotes=(
            (MONDAYS, 0, Bearing.FOR),
            (EFFICIENT, 0, Bearing.FOR),
            (BOARD, 1, Bearing.AGAINST),
        ),
    )
    tomas = held(
        study,
        factories.participant(ws, name="Tomás Ortega", company="Northwind", segment="Mid-market"),
        days_ago=10,
    )
    summarised(
        tomas,
        team.owner,
        points,
        stances=(Stance.SUPPORTS, Stance.CONTRADICTS),
        quotes=((TWO_HOURS, 0, Bearing.FOR), (CLIENTS, 1, Bearing.AGAINST)),
    )
    aiko = held(
        study,
        factories.participant(ws, name="Aiko Tanaka", company="brightpath ", segment="smb"),
        days_ago=5,
    )
    summarised(
        aiko,
        team.owner,
        points,
        stances=(Stance.CONTRADICTS,),
        quotes=((TEN_MINUTES, 0, Bearing.AGAINST),),
    )
    peers = {
        "priya": factories.participant(
            ws, name="Priya Shah", segment="SMB", recontact=Recontact.YES
        ),
        "ole": factories.participant(ws, name="Ole Berg", segment="SMB", recontact=Recontact.NO),
        "wen": factories.participant(ws, name="Wen Li", segment="SMB", recontact=Recontact.NOT_YET),
        "mia": factories.participant(ws, name="Mia Costa", segment="Mid-market"),
        "zed": factories.participant(ws, name="Zed Okafor", segment="Enterprise"),
    }
    factories.interview(study, factories.participant(ws, name="Still To Come", segment="SMB"))
    factories.interview(
        study,
        factories.participant(ws, name="Called Off", segment="SMB"),
        status=InterviewStatus.CANCELLED,
    )
    return Study3(study, points, nickole, tomas, aiko, peers)


def edit_words(study: Study3, author: User) -> None:
    """Nickole's summary, marked final with the team's words in it: EFFICIENT reworded as
    REWORDED, and MONDAYS as if the notetaker had typed it as a plain note in their own words
    (PARAPHRASE); BOARD stays as she said it."""
    summaries.edit_quote(study.quote(EFFICIENT), text=REWORDED)
    paraphrase = study.quote(MONDAYS)
    Note.objects.filter(pk=paraphrase.note_id).update(kind=NoteKind.NOTE, text=PARAPHRASE)
    Quote.objects.filter(pk=paraphrase.pk).update(text=PARAPHRASE, source_text=PARAPHRASE)
    summary = Summary.objects.get(interview=study.nickole)
    summary.interview = study.nickole
    seen = checks.fingerprint(checks.objectivity_checks(summaries.entries(summary)))
    summaries.finalise(summary, author, seen=seen, acknowledged=True)
