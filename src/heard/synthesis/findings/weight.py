"""What a finding's evidence weighs, for it and against it, and the warnings that follow.

The method: "avoid rushing to a conclusion based on sole response … give much more weight to
aggregated feedback". So each finding is weighed by how many *distinct* interviews,
participants, companies and segments its evidence comes from, for it and against it; three
quotes of one customer count as one interview. A finding whose supporting evidence all comes
from one interview is a *single source*; one with any contradicting evidence is *contested*.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString

from heard.synthesis.models import Evidence, EvidenceBearing


@dataclass(frozen=True)
class Source:
    """Where one piece of evidence comes from, and which way it points."""

    bearing: str
    interview: int
    participant: int
    company: str = ""
    segment: str = ""


@dataclass(frozen=True)
class Side:
    """The evidence on one side of a finding, counted distinctly."""

    evidence: int = 0
    interviews: int = 0
    participants: int = 0
    companies: int = 0
    segments: int = 0


@dataclass(frozen=True)
class Weight:
    supporting: Side
    contradicting: Side

    @property
    def has_evidence(self) -> bool:
        return bool(self.supporting.evidence or self.contradicting.evidence)

    @property
    def single_source(self) -> bool:
        """All the evidence for it comes from one interview: one response, not a pattern."""
        return self.supporting.interviews == 1

    @property
    def contested(self) -> bool:
        return self.contradicting.evidence > 0

    @property
    def unsupported(self) -> bool:
        """Evidence against it, none for it."""
        return self.contested and not self.supporting.evidence


def _key(text: str) -> str:
    """Companies and segments are compared as people type them: case and spacing aside."""
    return " ".join(text.split()).casefold()


def _side(sources: list[Source]) -> Side:
    return Side(
        evidence=len(sources),
        interviews=len({s.interview for s in sources}),
        participants=len({s.participant for s in sources}),
        companies=len({_key(s.company) for s in sources} - {""}),
        segments=len({_key(s.segment) for s in sources} - {""}),
    )


def weigh(sources: Iterable[Source]) -> Weight:
    """Count the evidence of a finding, for and against, by distinct interviews, participants,
    companies and segments (a blank company or segment is not counted as one)."""
    sources = list(sources)
    return Weight(
        supporting=_side([s for s in sources if s.bearing == EvidenceBearing.SUPPORTS]),
        contradicting=_side([s for s in sources if s.bearing == EvidenceBearing.CONTRADICTS]),
    )


def source_of(evidence: Evidence) -> Source:
    interview = evidence.interview
    person = interview.participant
    return Source(evidence.bearing, interview.pk, person.pk, person.company, person.segment)


@dataclass(frozen=True)
class Warning:
    kind: str
    """single_source, contested, unsupported or no_evidence: also the badge's class."""
    title: str
    text: str
    who: str = ""
    """A participant the text names, in whatever script their name is written."""

    @property
    def html(self) -> SafeString:
        """The text for a page: the name it holds keeps its own direction (dir="auto")."""
        before, found, after = self.text.partition(self.who) if self.who else (self.text, "", "")
        if not found:
            return format_html("{}", self.text)
        return format_html('{}<span dir="auto">{}</span>{}', before, found, after)


def warnings(weight: Weight, supporting: Sequence[Evidence] = ()) -> list[Warning]:
    """What a reader must know before trusting the finding, most serious first."""
    found = []
    if not weight.has_evidence:
        found.append(
            Warning(
                "no_evidence",
                "No evidence",
                "Nothing backs it yet: link the quotes and summary cells it rests on.",
            )
        )
    elif weight.unsupported:
        found.append(
            Warning(
                "unsupported",
                "Only against",
                "All its evidence contradicts it. Rephrase it, or drop it.",
            )
        )
    if weight.single_source:
        who = supporting[0].interview.participant.name if supporting else "one interview"
        found.append(
            Warning(
                "single_source",
                "Single source",
                f"Everything for it comes from one interview ({who}). One response is not a "
                "pattern: weigh aggregated feedback over any single answer.",
                who if supporting else "",
            )
        )
    if weight.contested:
        side = weight.contradicting
        interviews = f"{side.interviews} interview{'s' if side.interviews != 1 else ''}"
        found.append(
            Warning(
                "contested",
                "Contested",
                f"{side.evidence} piece{'s' if side.evidence != 1 else ''} of evidence from "
                f"{interviews} contradict{'s' if side.evidence == 1 else ''} it.",
            )
        )
    return found
