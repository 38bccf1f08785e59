"""The plan: must-ask questions, validation points nothing was learned about, the intros,
the time per section of the guide, and the two reserves."""

from __future__ import annotations

import re

from heard.coach.call import Call, Line, PlannedQuestion, Side
from heard.coach.measures import (
    Moment,
    Observation,
    Part,
    Standards,
    Tone,
    at_line,
    duration_words,
    spoken_ms,
)
from heard.coach.questions import patterns_for, questions_in
from heard.interviews.models import QuestionStatus, minutes_label

# Ticks that say a question was put to the customer (a skip says it was not).
TAKEN_UP = {QuestionStatus.ASKED, QuestionStatus.ANSWERED, QuestionStatus.COVERED}
# The customer's questions are looked for in their reserve and this long before it.
END_LEEWAY_S = 2 * 60
# The intros end at the first tick or note this long after they start, at the latest.
INTROS_AT_MOST_S = 15 * 60


def plan(call: Call, standards: Standards) -> Part:
    part = Part("plan", "The plan")
    _must_ask(call, part)
    _points(call, part)
    _intros(call, part, standards)
    _sections(call, part, standards)
    _reserves(call, part)
    return part


CONTENT_WORD = re.compile(r"\w{4,}")
HEARD_SHARE = 0.5  # a team line holding this share of a question's longer words asked it
HEARD_AT_LEAST = 2  # …and at least this many of them


def heard_in(call: Call, question: PlannedQuestion) -> Line | None:
    """The team's line (with the next one, for a question said over two) where a guide
    question was asked in other words: half its longer words said."""
    wanted = {word.casefold() for word in CONTENT_WORD.findall(question.text)}
    if len(wanted) < HEARD_AT_LEAST:
        return None
    team = [line for line in call.lines if line.side == Side.TEAM]
    for n, line in enumerate(team):
        text = line.text if n + 1 >= len(team) else f"{line.text} {team[n + 1].text}"
        said = {word.casefold() for word in CONTENT_WORD.findall(text)}
        found = len(wanted & said)
        if found >= HEARD_AT_LEAST and found / len(wanted) >= HEARD_SHARE:
            return line
    return None


def _must_ask(call: Call, part: Part) -> None:
    musts = [question for question in call.questions if question.priority == "must"]
    part.figures["must_questions"] = len(musts)
    if not call.questions:
        part.unmeasured.append("The interview has no guide: coverage is measured against one.")
        return
    if not call.ran_live and not call.lines:
        part.unmeasured.append(
            "The call was not run on the live screen and has no transcript, so which questions "
            "were asked is not known."
        )
        return
    # Not ticked on the live screen (or the call was not run there), and not heard either.
    missed = call.must_missed if call.ran_live else musts
    missed = [question for question in missed if not call.lines or heard_in(call, question) is None]
    part.figures["must_missed"] = len(missed)
    for question in missed:
        part.observations.append(
            Observation(
                "plan.must_missed",
                f"A must-ask question of “{question.section}” was not asked.",
                Tone.IMPROVE,
                None,
                question.text,
            )
        )
    if musts and not missed:
        part.observations.append(
            Observation(
                "plan.must_asked", f"All {len(musts)} must-ask questions were asked.", Tone.WELL
            )
        )


def _points(call: Call, part: Part) -> None:
    silent = [point for point in call.points if point.id not in call.points_heard]
    part.figures["points"] = len(call.points)
    part.figures["points_silent"] = len(silent)
    for point in silent:
        part.observations.append(
            Observation(
                "plan.point_silent",
                f"Nothing was noted or highlighted about {point.label}.",
                Tone.IMPROVE,
                None,
                point.statement,
            )
        )


def intros_end_s(call: Call) -> int | None:
    """When the intros ended on the call's clock: the first question ticked or note taken
    after they began (a quarter of an hour at most)."""
    if call.intros_at_s is None:
        return None
    after = [tick.at_s for tick in call.ticks if tick.at_s > call.intros_at_s]
    after += [note.at_s for note in call.notes if note.at_s > call.intros_at_s]
    end = min(after, default=None)
    if end is None:
        return None
    return min(end, call.intros_at_s + INTROS_AT_MOST_S)


def _intros(call: Call, part: Part, standards: Standards) -> None:
    if call.intros_at_s is None:
        part.unmeasured.append("The intros were not started on the live screen, so not timed.")
        return
    end = intros_end_s(call)
    if end is None:
        part.unmeasured.append(
            "Nothing was ticked or noted after the intros began, so their end is not known."
        )
        return
    length = end - call.intros_at_s
    part.figures["intros_s"] = length
    if call.lines and any(line.side == Side.TEAM for line in call.lines):
        window = (call.recording_ms(call.intros_at_s), call.recording_ms(end))
        people: dict[str, int] = {}
        for line in call.lines:
            speaks = line.side in (Side.TEAM, Side.CUSTOMER) and line.speaker
            if speaks and line.start_ms < window[1] and line.end_ms > window[0]:
                people.setdefault(line.speaker, 0)
        for name in people:
            said = [line for line in call.lines if line.speaker == name]
            people[name] = spoken_ms(said, said[0].side, window) // 1000
        part.figures["intros_by_person_s"] = people
        if not people:
            part.unmeasured.append(
                "Nobody speaks in the transcript while the intros ran (the recording began "
                "after them?), so they are not timed per person."
            )
            return
        long = {name: seconds for name, seconds in people.items() if seconds > standards.intro_s}
        for name, seconds in long.items():
            part.observations.append(
                Observation(
                    "plan.intro_long",
                    f"{name}'s intro took about {duration_words(seconds)}; the method keeps "
                    f"each to {duration_words(standards.intro_s)}.",
                    Tone.IMPROVE,
                    Moment(at_ms=window[0], call_s=call.intros_at_s),
                )
            )
        if people and not long:
            part.observations.append(
                Observation(
                    "plan.intros",
                    f"Each intro kept to {duration_words(standards.intro_s)} or less.",
                    Tone.WELL,
                )
            )
        return
    allowed = standards.intro_s * (call.team_size + 1)
    tone = Tone.IMPROVE if length > allowed else Tone.WELL
    part.observations.append(
        Observation(
            "plan.intros",
            f"The intros took {duration_words(length)} for {call.team_size + 1} people; the "
            f"method keeps each to {duration_words(standards.intro_s)}.",
            tone,
            Moment(call_s=call.intros_at_s),
        )
    )


def _sections(call: Call, part: Part, standards: Standards) -> None:
    """Each section's time, from the moments its questions were ticked: the time from one
    tick to the next goes to the section of the first (the conversation before the first
    tick to its section), up to the end of the conversation."""
    ticks = sorted(
        (tick for tick in call.ticks if tick.status in TAKEN_UP), key=lambda tick: tick.at_s
    )
    by_question = {question.id: question for question in call.questions}
    if not ticks or not call.questions:
        if call.questions:
            part.unmeasured.append(
                "No question was ticked during the call, so the time per section is not known."
            )
        return
    start = intros_end_s(call) or 0
    end = call.held_s if call.held_s is not None else ticks[-1].at_s
    end = max(min(end, call.conversation_s), ticks[-1].at_s)
    spent: dict[int, int] = {}
    for n, tick in enumerate(ticks):
        section = by_question[tick.question_id].section_id
        begin = start if n == 0 else tick.at_s
        until = ticks[n + 1].at_s if n + 1 < len(ticks) else end
        spent[section] = spent.get(section, 0) + max(0, until - max(begin, start))
    rows = []
    seen: set[int] = set()
    for question in call.questions:
        if question.section_id in seen:
            continue
        seen.add(question.section_id)
        planned = sum(q.minutes for q in call.questions if q.section_id == question.section_id)
        actual = round(spent.get(question.section_id, 0) / 60, 1)
        rows.append({"section": question.section, "planned_min": planned, "actual_min": actual})
        over = actual - planned
        if (
            planned
            and actual > planned * standards.section_over
            and over >= standards.section_over_min
        ):
            part.observations.append(
                Observation(
                    "plan.section_over",
                    f"“{question.section}” took about {actual:.0f} min against {planned} planned.",
                    Tone.IMPROVE,
                )
            )
    part.figures["sections"] = rows


def _customer_questions(call: Call, from_s: int) -> list[Line]:
    start = call.recording_ms(from_s)
    return [
        line
        for line in call.lines
        if line.side == Side.CUSTOMER
        and line.start_ms >= start
        and questions_in(line.text, call.language)
    ]


def _reserves(call: Call, part: Part) -> None:
    held = call.held_s
    if held is None:
        part.unmeasured.append(
            "The call was not ended on the live screen and has no transcript: its reserves "
            "are not known."
        )
        return
    team_from = call.conversation_s
    customer_from = team_from + call.team_reserve_s
    part.figures.update(
        duration_s=held,
        team_reserve_from_s=team_from,
        customer_reserve_from_s=customer_from,
    )
    if held < team_from:
        part.observations.append(
            Observation(
                "plan.reserve_team",
                f"The call ended at {minutes_label(held)}, before the team's "
                f"reserve (from {minutes_label(team_from)}).",
                Tone.IMPROVE,
            )
        )
    else:
        guide_in_reserve = [
            tick
            for tick in call.ticks
            if tick.status in TAKEN_UP and team_from <= tick.at_s < customer_from
        ]
        if len(guide_in_reserve) >= 2:
            part.observations.append(
                Observation(
                    "plan.reserve_team",
                    f"{len(guide_in_reserve)} guide questions were ticked during the team's "
                    "reserve: the conversation ran into it.",
                    Tone.IMPROVE,
                    Moment(call_s=guide_in_reserve[0].at_s),
                )
            )
        elif not call.ran_live:
            part.unmeasured.append(
                "The call was not run on the live screen, so whether the team's reserve "
                "happened is not known."
            )
        else:
            asked = f" ({call.queued_asked} queued questions asked)" if call.queued_asked else ""
            part.observations.append(
                Observation("plan.reserve_team", f"The team's reserve happened{asked}.", Tone.WELL)
            )
    part.figures["customer_reserve_reached"] = held >= customer_from
    if not call.lines:
        part.unmeasured.append(
            "Without a transcript, whether the customer asked their questions is not known."
        )
        return
    if patterns_for(call.language) is None:
        part.unmeasured.append(
            "Questions are not recognised in this language, so whether the customer asked "
            "theirs is not known."
        )
        return
    # The end of the call: the customer's reserve and a little before it, wherever the call
    # ended (early, on time, or long after the plan).
    theirs = _customer_questions(call, max(0, held - call.customer_reserve_s - END_LEEWAY_S))
    part.figures["customer_questions"] = len(theirs)
    if theirs:
        part.observations.append(
            Observation(
                "plan.reserve_customer",
                f"The customer asked {len(theirs)} question{'s' if len(theirs) != 1 else ''} "
                "at the end of the call.",
                Tone.WELL,
                at_line(call, theirs[0]),
                theirs[0].text,
            )
        )
    else:
        part.observations.append(
            Observation(
                "plan.reserve_customer",
                "No question of the customer's was heard at the end of the call: the method "
                "keeps the last 5 minutes for theirs.",
                Tone.IMPROVE,
            )
        )
