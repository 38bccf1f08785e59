"""Digging for the pain: how far each solution request's why-ladder went, the pains noted
without how the customer measures them, and the whys asked in the transcript."""

from __future__ import annotations

from heard.coach.call import Call, Side
from heard.coach.measures import Observation, Part, Tone, at_note, turns
from heard.coach.questions import patterns_for, questions_in


def digging(call: Call) -> Part:
    part = Part("digging", "Digging for the pain")
    if not call.notes:
        part.unmeasured.append(
            "No notes were taken during the call: solution requests, why-ladders and pains "
            "are read from them."
        )
    ladders = call.ladders
    reached = [ladder for ladder in ladders if ladder.root is not None]
    short = [ladder for ladder in ladders if ladder.root is None and ladder.whys]
    without = [ladder for ladder in ladders if ladder.root is None and not ladder.whys]
    part.figures.update(
        solution_requests=len(ladders),
        reached_root=len(reached),
        stopped_short=len(short),
        without_why=len(without),
        why_depth=round(sum(ladder.whys for ladder in ladders) / len(ladders), 2)
        if ladders
        else None,
    )
    for ladder in reached:
        whys = "why" if ladder.whys == 1 else "whys"
        part.observations.append(
            Observation(
                "digging.root",
                f"A solution request was dug to its root pain in {ladder.whys} {whys}.",
                Tone.WELL,
                at_note(call, ladder.request),
                ladder.request.text,
            )
        )
    for ladder in short:
        whys = "why" if ladder.whys == 1 else "whys"
        part.observations.append(
            Observation(
                "digging.short",
                f"A why-ladder stopped after {ladder.whys} {whys} without a root pain noted: "
                "one more “why?” often finds it.",
                Tone.IMPROVE,
                at_note(call, ladder.request),
                ladder.request.text,
            )
        )
    for ladder in without:
        part.observations.append(
            Observation(
                "digging.no_why",
                "A solution request was left without a “why?”: the pain behind it is what "
                "the interview is for.",
                Tone.IMPROVE,
                at_note(call, ladder.request),
                ladder.request.text,
            )
        )
    unmeasured = [pain for pain in call.pains if not pain.measured]
    part.figures.update(pains=len(call.pains), pains_measured=len(call.pains) - len(unmeasured))
    for pain in unmeasured:
        part.observations.append(
            Observation(
                "digging.no_kpi",
                "A pain was noted without how the customer measures it (a KPI): “how do you "
                "measure it?” tells how much it matters.",
                Tone.IMPROVE,
                at_note(call, pain.note),
                pain.note.text,
            )
        )
    if (
        call.lines
        and any(line.side == Side.TEAM for line in call.lines)
        and patterns_for(call.language) is not None
    ):
        part.figures["whys_asked"] = sum(
            1
            for turn in turns(call.lines, Side.TEAM)
            for line in turn
            for question in questions_in(line.text, call.language)
            if question.startswith(("why", "how come"))
        )
    return part
