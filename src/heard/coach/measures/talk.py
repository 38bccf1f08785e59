"""Talk time: how much of the speaking the customer did, the interviewer's longest stretch,
and the interviewer's share over the course of the call."""

from __future__ import annotations

from heard.coach.call import Call, Side
from heard.coach.measures import (
    Observation,
    Part,
    Standards,
    Tone,
    at_line,
    duration_words,
    percent,
    spoken_ms,
    turns,
)

WINDOWS = 12  # the chart's stretches of the call


def unmeasurable(call: Call) -> str:
    """Why talk time cannot be measured, or ""."""
    if not call.lines:
        return (
            "There is no ready transcript with times: talk time, questions, interruptions "
            "and pauses are measured from one."
        )
    sides = {line.side for line in call.lines}
    if Side.TEAM not in sides:
        return (
            "No speaker of the transcript is mapped to the team: map the speakers on the "
            "transcript's page to measure who spoke when."
        )
    if Side.CUSTOMER not in sides:
        return (
            "No speaker of the transcript is mapped to the participant: map the speakers on "
            "the transcript's page to measure who spoke when."
        )
    return ""


def talk(call: Call, standards: Standards) -> Part:
    part = Part("talk", "Talk time")
    reason = unmeasurable(call)
    if reason:
        part.unmeasured.append(reason)
        return part
    lines = call.lines
    team_ms = spoken_ms(lines, Side.TEAM)
    customer_ms = spoken_ms(lines, Side.CUSTOMER)
    unknown_ms = spoken_ms(lines, Side.UNKNOWN)
    if not team_ms + customer_ms:
        part.unmeasured.append(
            "The transcript's lines have no length (no end times), so talk time is not measured."
        )
        return part
    share = customer_ms / (team_ms + customer_ms)
    part.figures.update(
        customer_share=round(share, 4),
        team_share=round(1 - share, 4),
        customer_s=round(customer_ms / 1000),
        team_s=round(team_ms / 1000),
        other_s=round(spoken_ms(lines, Side.OTHER) / 1000),
        unknown_s=round(unknown_ms / 1000),
        target_share=standards.customer_share,
    )
    if unknown_ms > 0.1 * (team_ms + customer_ms + unknown_ms):
        part.unmeasured.append(
            f"{duration_words(unknown_ms / 1000)} of speech is by speakers not mapped yet; "
            "the shares count only the mapped ones."
        )
    aim = percent(standards.customer_share)
    # Compared as said, in whole percent, so the words and the verdict agree.
    if round(share * 100) >= round(standards.customer_share * 100):
        part.observations.append(
            Observation(
                "talk.share",
                f"The customer spoke {percent(share)} of the time; the method aims for "
                f"{aim} or more.",
                Tone.WELL,
            )
        )
    else:
        part.observations.append(
            Observation(
                "talk.share",
                f"The customer spoke {percent(share)} of the time and the team "
                f"{percent(1 - share)}; the method aims for the customer to speak {aim} or more.",
                Tone.IMPROVE,
            )
        )
    stretches = turns(lines, Side.TEAM)
    if stretches:
        longest = max(stretches, key=lambda turn: turn[-1].end_ms - turn[0].start_ms)
        seconds = round((longest[-1].end_ms - longest[0].start_ms) / 1000)
        part.figures["longest_monologue_s"] = seconds
        if seconds > standards.monologue_s:
            part.observations.append(
                Observation(
                    "talk.monologue",
                    f"The longest stretch of the team speaking without the customer was "
                    f"{duration_words(seconds)}; under {duration_words(standards.monologue_s)} "
                    "keeps it a conversation.",
                    Tone.IMPROVE,
                    at_line(call, longest[0]),
                    longest[0].text,
                )
            )
    part.figures["team_share_course"] = course(call)
    part.figures["course_from_ms"] = min(line.start_ms for line in lines)
    part.figures["course_to_ms"] = max(line.end_ms for line in lines)
    return part


def course(call: Call) -> list[float | None]:
    """The team's share of the speaking in each twelfth of the transcript (None where no one
    spoke)."""
    end = max(line.end_ms for line in call.lines)
    start = min(line.start_ms for line in call.lines)
    width = max(1, (end - start) / WINDOWS)
    shares: list[float | None] = []
    for n in range(WINDOWS):
        window = (int(start + n * width), int(start + (n + 1) * width))
        team = spoken_ms(call.lines, Side.TEAM, window)
        customer = spoken_ms(call.lines, Side.CUSTOMER, window)
        shares.append(round(team / (team + customer), 3) if team + customer else None)
    return shares
