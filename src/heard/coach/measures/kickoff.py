"""The kickoff: the consent to record asked before the recording began; why we are here said."""

from __future__ import annotations

import re

from heard.coach.call import Call, Line, Side
from heard.coach.measures import Moment, Observation, Part, Tone, at_line
from heard.coach.questions import patterns_for
from heard.interviews.models import Consent, minutes_label

CONSENT_GRACE_S = 15  # the consent saved this soon after the recording began counts as before
KICKOFF_S = 10 * 60  # the purpose is said within the call's first minutes
PURPOSE_OVERLAP = 0.4  # …or a line holds this share of the purpose statement's longer words
LONG_WORD = re.compile(r"\w{5,}")


def kickoff(call: Call) -> Part:
    part = Part("kickoff", "Kickoff")
    _consent(call, part)
    _purpose(call, part)
    return part


def _team_lines_before(call: Call, call_s: int) -> list[Line]:
    end = call.recording_ms(call_s)
    return [line for line in call.lines if line.side == Side.TEAM and line.start_ms < end]


def _asked_on_tape(call: Call) -> Line | None:
    """The team's line in the recording's first minutes that asks to record, if any."""
    patterns = patterns_for(call.language)
    if patterns is None or patterns.consent is None:
        return None
    return next(
        (
            line
            for line in _team_lines_before(call, call.offset_s + 3 * 60)
            if patterns.consent.search(line.text)
        ),
        None,
    )


def _consent(call: Call, part: Part) -> None:
    """Whether the recording ran before the consent was asked. What the recording says wins:
    the consent question heard on it, so many seconds in. Where it is not heard, the time the
    answer was saved on the live screen, against where the recording starts on the call's
    clock, says it was asked before (never that it came late: the recording's start on the
    call's clock is only as right as its offset, and an answer confirmed when a recording was
    added after the call says nothing of the call)."""
    part.figures["consent"] = call.consent or None
    part.figures["consent_at_s"] = call.consent_at_s
    on_tape = _asked_on_tape(call) if call.lines else None
    # When the answer was saved, on the call's clock, if during the call (not confirmed
    # when a recording was added afterwards).
    saved_at = (
        call.consent_at_s
        if call.consent_at_s is not None
        and call.held_s is not None
        and call.consent_at_s <= call.held_s
        else None
    )
    if call.consent == Consent.NO:
        part.observations.append(
            Observation("kickoff.consent_no", "The customer said no to recording.", Tone.NOTE)
        )
    elif on_tape is not None:
        late = on_tape.start_ms // 1000
        part.figures["consent_after_recording_s"] = late
        if late > CONSENT_GRACE_S:
            part.observations.append(
                Observation(
                    "kickoff.consent_late",
                    f"The recording had been running for {minutes_label(late)} when the "
                    "consent to record was asked: ask first, then start recording.",
                    Tone.IMPROVE,
                    at_line(call, on_tape),
                    on_tape.text,
                )
            )
        else:
            part.observations.append(
                Observation(
                    "kickoff.consent",
                    "The consent to record was asked as the recording began.",
                    Tone.WELL,
                    at_line(call, on_tape),
                    on_tape.text,
                )
            )
    elif call.lines and call.consent and saved_at is not None:
        if saved_at <= call.offset_s + CONSENT_GRACE_S:
            part.observations.append(
                Observation(
                    "kickoff.consent",
                    f"The consent to record was saved at {minutes_label(saved_at)} of "
                    "the call, before the recording began.",
                    Tone.WELL,
                    Moment(call_s=saved_at),
                )
            )
        else:
            part.unmeasured.append(
                "The consent question is not heard on the recording, so whether it was asked "
                "before the recording began is not known."
            )
    elif call.lines:
        part.unmeasured.append(
            "The consent question is not heard on the recording, so whether it was asked "
            "before the recording began is not known."
        )
    if not call.consent:
        if call.ran_live:
            part.observations.append(
                Observation(
                    "kickoff.consent_missing",
                    "The consent to record was not noted on the live screen: its kickoff "
                    "keeps the answer, who asked and when.",
                    Tone.IMPROVE,
                )
            )
        else:
            part.unmeasured.append(
                "The call was not run on the live screen, so its consent answer is not in Heard."
            )
    elif not call.lines and saved_at is not None:
        part.observations.append(
            Observation(
                "kickoff.consent",
                f"The consent answer was saved at {minutes_label(saved_at)} of the call.",
                Tone.NOTE,
                Moment(call_s=saved_at),
            )
        )


def _overlap(line: str, purpose_words: set[str]) -> float:
    if not purpose_words:
        return 0.0
    said = {word.casefold() for word in LONG_WORD.findall(line)}
    return len(said & purpose_words) / len(purpose_words)


def _purpose(call: Call, part: Part) -> None:
    if not call.lines:
        part.unmeasured.append(
            "Without a transcript, whether the purpose of the call was said is not known."
        )
        return
    if not any(line.side == Side.TEAM for line in call.lines):
        return  # the talk part says why
    patterns = patterns_for(call.language)
    purpose_words = {word.casefold() for word in LONG_WORD.findall(call.purpose)}
    early = _team_lines_before(call, KICKOFF_S)
    # A purpose said over several lines: each line with the next one.
    pairs = [
        (line, f"{line.text} {early[n + 1].text}" if n + 1 < len(early) else line.text)
        for n, line in enumerate(early)
    ]

    words = patterns.purpose if patterns is not None else None

    def says_it(text: str) -> bool:
        return (words is not None and bool(words.search(text))) or (
            _overlap(text, purpose_words) >= PURPOSE_OVERLAP
        )

    said = None
    for n, (line, text) in enumerate(pairs):
        if says_it(text):
            # Said in the next line alone: the moment is that line; over two: the first.
            later = n + 1 < len(early) and not says_it(line.text) and says_it(early[n + 1].text)
            said = early[n + 1] if later else line
            break
    part.figures["purpose_stated"] = said is not None
    if said is not None:
        part.observations.append(
            Observation(
                "kickoff.purpose",
                "The team said why we are here at the start.",
                Tone.WELL,
                at_line(call, said),
                said.text,
            )
        )
    else:
        part.observations.append(
            Observation(
                "kickoff.purpose_missing",
                f"The purpose of the call was not heard in the team's first "
                f"{KICKOFF_S // 60} minutes: saying why we are here sets the customer at ease.",
                Tone.IMPROVE,
            )
        )
