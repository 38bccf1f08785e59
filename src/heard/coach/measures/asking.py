"""The interviewer's questions, classed and listed at their time; interruptions; the pause
left after an answer."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from heard.coach.call import Call, Line, Side
from heard.coach.measures import (
    RATE_FROM_MINUTES,
    Moment,
    Observation,
    Part,
    Standards,
    Tone,
    at_line,
    is_backchannel,
    middle,
    turns,
)
from heard.coach.measures.talk import unmeasurable
from heard.coach.questions import (
    LABELS,
    QuestionClass,
    Verdict,
    classify,
    patterns_for,
    questions_in,
)
from heard.core.languages import language_label

CONTEXT_LINES = 4  # a question is read with the line before it, up to this many lines
OVERLAP_MS = 250  # the team starting this far inside the customer's line interrupts
CUT_OFF_MS = 200  # …and so does starting this soon after a line that ends mid-sentence
LONGEST_PAUSE_S = 10  # a longer gap is speech missing from the transcript, not a pause
# A full stop, question or exclamation mark (also those of Chinese and Japanese), maybe
# followed by a closing quote or bracket.
ENDS_SENTENCE = re.compile("[.?!\u2026\u3002\uff1f\uff01]['\"\u201d\u2019)]*\\s*$")


@dataclass(frozen=True)
class Asked:
    """A turn of the team's that asks something, with its class."""

    line: Line
    text: str
    verdict: Verdict


def asked_in(call: Call) -> list[Asked]:
    """Every turn of the team's with a question in it, in order, with its class."""
    found = []
    for turn in turns(call.lines, Side.TEAM):
        first = next(
            (n for n, line in enumerate(turn) if questions_in(line.text, call.language)), None
        )
        if first is None:
            continue
        context = turn[max(0, first - 1) : first + CONTEXT_LINES - 1]
        text = " ".join(line.text.strip() for line in context)
        verdict = classify(text, call.language)
        if verdict is not None:
            found.append(Asked(turn[first], text, verdict))
    return found


def recording_hours(call: Call) -> float:
    start = min(line.start_ms for line in call.lines)
    end = max(line.end_ms for line in call.lines)
    return max(end - start, 1) / 3_600_000


def asking(call: Call, standards: Standards) -> Part:
    part = Part("questions", "Questions")
    reason = unmeasurable(call)
    if reason:
        part.unmeasured.append(reason)
        return part
    if patterns_for(call.language) is None:
        part.unmeasured.append(
            f"Questions are not classed in {language_label(call.language) or call.language}: "
            "Heard has patterns for English. Talk time, digging and the plan are measured "
            "all the same."
        )
    else:
        _questions(call, part)
    if starts_only(call.lines):
        part.unmeasured.append(
            "The transcript gives only when each line starts (each ends where the next "
            "begins), so pauses and interruptions are not measured."
        )
    else:
        _interruptions(call, part)
        _pauses(call, part, standards)
    return part


def starts_only(lines: list[Line]) -> bool:
    """Whether the lines' ends were filled in from the next line's start, as importers do
    for formats that give only starts (nearly every line ends exactly where the next begins)."""
    ordered = sorted(lines, key=lambda line: (line.start_ms, line.end_ms))
    pairs = list(itertools.pairwise(ordered))
    if len(pairs) < 3:
        return False
    touching = sum(1 for one, two in pairs if one.end_ms == two.start_ms)
    return touching >= 0.9 * len(pairs)


def _questions(call: Call, part: Part) -> None:
    asked = asked_in(call)
    hours = recording_hours(call)
    counts = {klass.value: 0 for klass in QuestionClass}
    for item in asked:
        counts[item.verdict.question_class.value] += 1
    part.figures.update(
        questions=len(asked),
        by_class=counts,
        per_hour={
            klass: round(count / hours, 1)
            for klass, count in counts.items()
            if hours * 60 >= RATE_FROM_MINUTES
        },
        asked=[
            {
                "class": item.verdict.question_class.value,
                "why": item.verdict.why,
                "text": item.text,
                "at_ms": item.line.start_ms,
                "segment_id": item.line.segment_id,
            }
            for item in asked
        ],
    )
    if hours * 60 < RATE_FROM_MINUTES:
        part.unmeasured.append(
            f"The transcript runs under {RATE_FROM_MINUTES} minutes: too short for questions "
            "per hour."
        )
    if not asked:
        part.observations.append(
            Observation(
                "questions.none",
                "No question of the team's was found in the transcript.",
                Tone.NOTE,
            )
        )
        return
    open_share = counts[QuestionClass.OPEN] / len(asked)
    part.observations.append(
        Observation(
            "questions.open",
            f"{counts[QuestionClass.OPEN]} of {len(asked)} questions were open, asking the "
            "customer to tell it in their own words.",
            Tone.WELL if open_share >= 0.5 else Tone.NOTE,
        )
    )
    advice = {
        QuestionClass.PITCHING: "the method keeps our solution out of the interview",
        QuestionClass.LEADING: "a question that suggests its answer gets that answer back",
        QuestionClass.HYPOTHETICAL: "what someone would do says little of what they do",
        QuestionClass.STACKED: "the customer answers one of them, usually the last",
        QuestionClass.CLOSED: "an open question lets the customer tell more",
    }
    for klass, why in advice.items():
        of_class = [item for item in asked if item.verdict.question_class == klass]
        if not of_class:
            continue
        many = len(of_class)
        label = LABELS[klass].lower()
        noun = "question was" if many == 1 else "questions were"
        tone = (
            Tone.IMPROVE if klass != QuestionClass.CLOSED or many / len(asked) > 0.4 else Tone.NOTE
        )
        part.observations.append(
            Observation(f"questions.{klass.value}", f"{many} {noun} {label}: {why}.", tone)
        )
        for item in of_class:
            if klass == QuestionClass.CLOSED and tone == Tone.NOTE:
                break
            part.observations.append(
                Observation(
                    f"question.{klass.value}",
                    f"{LABELS[klass]}: {item.verdict.why}.",
                    tone,
                    at_line(call, item.line),
                    item.text,
                )
            )


def _interruptions(call: Call, part: Part) -> None:
    ordered = sorted(call.lines, key=lambda line: (line.start_ms, line.end_ms))
    found: list[tuple[Line, Line]] = []
    customer: Line | None = None
    for line in ordered:
        if line.side == Side.CUSTOMER:
            customer = line
            continue
        if line.side != Side.TEAM or customer is None or is_backchannel(line):
            continue
        inside = line.start_ms < customer.end_ms - OVERLAP_MS
        cut = (
            0 <= line.start_ms - customer.end_ms < CUT_OFF_MS
            and not ENDS_SENTENCE.search(customer.text)
            and not is_backchannel(customer)
        )
        if (inside and line.start_ms > customer.start_ms) or cut:
            found.append((customer, line))
        customer = None  # one interruption per customer line
    part.figures["interruptions"] = len(found)
    for said, line in found:
        part.observations.append(
            Observation(
                "questions.interruption",
                f"The team came in while {said.speaker or 'the customer'} was still speaking.",
                Tone.IMPROVE,
                at_line(call, line),
                said.text,
            )
        )


def _pauses(call: Call, part: Part, standards: Standards) -> None:
    """The silence the team left after each of the customer's turns before speaking."""
    ordered = sorted(call.lines, key=lambda line: (line.start_ms, line.end_ms))
    gaps: list[float] = []
    short: list[tuple[float, Line]] = []
    last_customer: Line | None = None
    for line in ordered:
        if line.side == Side.CUSTOMER and not is_backchannel(line):
            last_customer = line
        elif line.side == Side.TEAM and last_customer is not None and not is_backchannel(line):
            gap = (line.start_ms - last_customer.end_ms) / 1000
            if 0 <= gap <= LONGEST_PAUSE_S:
                gaps.append(gap)
                if gap < standards.pause_s:
                    short.append((gap, line))
            last_customer = None
    typical = middle(gaps)
    if typical is not None:
        typical = round(typical, 1)  # as it is said, so the words and the verdict agree
    part.figures["pause_median_s"] = typical
    part.figures["short_pauses"] = len(short)
    if typical is None:
        return
    first: Moment | None = at_line(call, short[0][1]) if short else None
    if typical < standards.pause_s:
        part.observations.append(
            Observation(
                "questions.pause",
                f"After the customer's answers the team spoke again after {typical:.1f} s "
                f"(the median); a pause of {standards.pause_s:.0f} s or more often brings "
                "more.",
                Tone.IMPROVE,
                first,
            )
        )
    else:
        part.observations.append(
            Observation(
                "questions.pause",
                f"After the customer's answers the team left {typical:.1f} s (the median) "
                "before speaking.",
                Tone.WELL,
            )
        )
