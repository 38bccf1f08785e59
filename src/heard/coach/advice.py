"""The three things to do differently next time, chosen from the report by fixed rules.

Every observation the measures mark "to do differently" (`Tone.IMPROVE`) is a candidate. The
candidates are taken in the order of `ADVICE` below, which follows the method's weight: what
spoils the evidence itself first (pitching, the customer not talking, the consent), then what
leaves the pain undiscovered (leading questions, requests without a why), then the plan, then
the craft of listening. The first three rules that have a candidate give the advice, each
with the moment of its first candidate. No model is involved: the same report always gives
the same three.
"""

from __future__ import annotations

from dataclasses import dataclass

from heard.coach.measures import Observation, Part, Tone

# (the keys of the observations a rule reads, what to do next time)
ADVICE: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        ("questions.pitching", "question.pitching"),
        "Keep our solution out of the interview: ask about their world, not our idea.",
    ),
    (("talk.share",), "Let the customer do the talking: ask open questions, then listen."),
    (
        ("kickoff.consent_missing", "kickoff.consent_late"),
        "Ask for consent to record before "
        "the recording starts, and note the answer on the live screen.",
    ),
    (
        ("questions.leading", "question.leading"),
        "Ask without suggesting the answer: “How did that go?” rather than “Wasn't that painful?”",
    ),
    (
        ("digging.no_why", "digging.short"),
        "When they ask for a solution, ask “why?” until the pain behind it shows.",
    ),
    (
        ("plan.must_missed",),
        "Ask every must-ask question: check them on the live screen before the reserves.",
    ),
    (
        ("questions.hypothetical", "question.hypothetical"),
        "Ask what they did the last time, not what they would do.",
    ),
    (("plan.reserve_customer",), "Leave the last five minutes for the customer's questions."),
    (("plan.reserve_team",), "Keep five to ten minutes for the team's questions."),
    (("talk.monologue",), "Keep your turns short: ask, then let them answer."),
    (("questions.interruption",), "Let the customer finish before you speak."),
    (("questions.pause",), "Leave a pause after each answer: people often add the best part."),
    (("digging.no_kpi",), "When they name a pain, ask how they measure it."),
    (("questions.stacked", "question.stacked"), "Ask one question at a time."),
    (("plan.point_silent",), "Steer towards the validation points nothing was learned about."),
    (("kickoff.purpose_missing",), "Say why you are here at the start of the call."),
    (("plan.intro_long", "plan.intros"), "Keep each intro to two minutes."),
    (("plan.section_over",), "Watch the time of each section against the guide."),
    (
        ("questions.closed", "question.closed"),
        "Turn closed questions into open ones: “How do you…?” rather than “Do you…?”",
    ),
)

HOW_MANY = 3


@dataclass(frozen=True)
class Advice:
    text: str
    because: Observation


def advice_for(parts: list[Part]) -> list[Advice]:
    candidates = [
        observation
        for part in parts
        for observation in part.observations
        if observation.tone == Tone.IMPROVE
    ]
    chosen: list[Advice] = []
    for keys, text in ADVICE:
        found = [observation for observation in candidates if observation.key in keys]
        if not found:
            continue
        # The observation to show: the first with a moment to play, else the summary one.
        with_moment = [observation for observation in found if observation.moment is not None]
        chosen.append(Advice(text, (with_moment or found)[0]))
        if len(chosen) == HOW_MANY:
            break
    return chosen
