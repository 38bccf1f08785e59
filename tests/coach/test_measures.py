"""Every measure of the coach on hand-made calls whose answers are known."""

from __future__ import annotations

import pytest

from heard.coach.advice import ADVICE, advice_for
from heard.coach.call import (
    Call,
    Ladder,
    Line,
    NoteSeen,
    PainSeen,
    PlannedQuestion,
    Point,
    Side,
    Tick,
)
from heard.coach.measures import Part, Standards, Tone, merged, spoken_ms, turns
from heard.coach.measures.asking import asking
from heard.coach.measures.digging import digging
from heard.coach.measures.kickoff import kickoff
from heard.coach.measures.plan import heard_in, plan
from heard.coach.measures.talk import talk
from heard.coach.report import compute

STANDARDS = Standards()
TEAM, CUSTOMER = Side.TEAM, Side.CUSTOMER


def said(*turns_: tuple[float, float, Side, str]) -> list[Line]:
    """Lines from (start s, end s, side, text)."""
    return [
        Line(
            segment_id=n + 1,
            start_ms=int(start * 1000),
            end_ms=int(end * 1000),
            side=side,
            speaker="Dana" if side == TEAM else "Bo" if side == CUSTOMER else "",
            text=text,
        )
        for n, (start, end, side, text) in enumerate(turns_)
    ]


def keys(part: Part, tone: Tone | None = None) -> list[str]:
    return [o.key for o in part.observations if tone is None or o.tone == tone]


# Talk time


def test_shares_count_each_side_once_where_its_lines_overlap():
    lines = said(
        (0, 10, TEAM, "Tell me about your week."),
        (5, 8, TEAM, "Take your time."),  # inside the line before: counted once
        (10, 40, CUSTOMER, "Monday is reports. Tuesday is more reports."),
        (38, 50, CUSTOMER, "And Wednesday too."),
    )
    assert merged([(0, 10), (5, 8), (10, 40)]) == [(0, 40)]
    assert spoken_ms(lines, TEAM) == 10_000
    assert spoken_ms(lines, CUSTOMER) == 40_000
    part = talk(Call(lines=lines), STANDARDS)
    assert part.figures["customer_share"] == 0.8
    assert keys(part, Tone.WELL) == ["talk.share"]


def test_a_team_that_talks_most_is_told_the_share_and_the_aim():
    lines = said(
        (0, 60, TEAM, "Let me explain at length."),
        (60, 80, CUSTOMER, "Okay, I see what you mean here."),
    )
    part = talk(Call(lines=lines), Standards(customer_share=0.7))
    share = next(o for o in part.observations if o.key == "talk.share")
    assert share.tone == Tone.IMPROVE
    assert share.text == (
        "The customer spoke 25 % of the time and the team 75 %; the method aims for the "
        "customer to speak 70 % or more."
    )


def test_the_longest_monologue_runs_over_a_listeners_mm_hmm_but_not_over_an_answer():
    lines = said(
        (0, 40, TEAM, "First part of a long explanation about what we do."),
        (40, 41, CUSTOMER, "Mm-hmm."),  # a listener's sign: the monologue goes on
        (41, 90, TEAM, "Second part, still explaining."),
        (90, 120, CUSTOMER, "Right, so for us the problem is the Monday reports."),
        (120, 130, TEAM, "Why Mondays?"),
    )
    assert [len(turn) for turn in turns(lines, TEAM)] == [2, 1]
    part = talk(Call(lines=lines), STANDARDS)
    assert part.figures["longest_monologue_s"] == 90
    monologue = next(o for o in part.observations if o.key == "talk.monologue")
    assert monologue.moment is not None
    assert monologue.moment.at_ms == 0
    assert monologue.moment.segment_id == 1


def test_a_short_answer_to_a_question_ends_the_teams_turn():
    lines = said(
        (0, 4, TEAM, "Don't you think that is frustrating?"),
        (5, 6, CUSTOMER, "I guess so."),  # short, but an answer
        (7, 12, TEAM, "We are building an app for it. Would you use it?"),
    )
    assert [len(turn) for turn in turns(lines, TEAM)] == [1, 1]
    classes = [a["class"] for a in asking(Call(lines=lines), STANDARDS).figures["asked"]]
    assert classes == ["leading", "pitching"]


def test_the_course_chart_has_twelve_stretches_with_the_teams_share_of_each():
    lines = said((0, 60, TEAM, "Intro talk by us."), (60, 120, CUSTOMER, "Customer answer."))
    shares = talk(Call(lines=lines), STANDARDS).figures["team_share_course"]
    assert len(shares) == 12
    assert shares[:6] == [1.0] * 6
    assert shares[6:] == [0.0] * 6


@pytest.mark.parametrize(
    ("lines", "reason"),
    [
        ([], "no ready transcript"),
        (said((0, 5, Side.UNKNOWN, "Hello?"), (5, 9, CUSTOMER, "Hi.")), "mapped to the team"),
        (said((0, 5, TEAM, "Hello?")), "mapped to the participant"),
    ],
)
def test_what_cannot_be_measured_is_said_with_why(lines, reason):
    part = talk(Call(lines=lines), STANDARDS)
    assert part.figures == {}
    assert reason in part.unmeasured[0]
    assert asking(Call(lines=lines), STANDARDS).unmeasured


def test_speech_of_unmapped_speakers_is_left_out_and_said():
    lines = said(
        (0, 10, TEAM, "So, tell me."),
        (10, 20, CUSTOMER, "Well, here it is."),
        (20, 40, Side.UNKNOWN, "Someone nobody mapped yet speaks."),
    )
    part = talk(Call(lines=lines), STANDARDS)
    assert part.figures["customer_share"] == 0.5
    assert "not mapped yet" in part.unmeasured[0]


# Questions, interruptions, pauses

INTERVIEW = said(
    (0, 6, TEAM, "Thanks for your time. Tell me about the last time you closed the books."),
    (7, 40, CUSTOMER, "It was a mess. We were three days late."),
    (41, 45, TEAM, "Don't you think a tool would fix that?"),
    (46, 50, CUSTOMER, "Maybe."),
    (52, 58, TEAM, "We're building an app that reconciles automatically. Would you use it?"),
    (59, 70, CUSTOMER, "I would have to see it, and honestly the real problem is"),
    (70.1, 74, TEAM, "What tools do you use? And who uses them?"),  # cut her off
    (74.5, 90, CUSTOMER, "Excel, and Priya."),
    (88, 92, TEAM, "Would you pay for it?"),  # started inside her line
    (93, 100, CUSTOMER, "Probably not."),
    (100.2, 103, TEAM, "Do you use Xero?"),
)


def test_every_question_is_classed_and_listed_at_its_time():
    part = asking(Call(lines=INTERVIEW), STANDARDS)
    asked = part.figures["asked"]
    assert [(a["class"], a["at_ms"]) for a in asked] == [
        ("open", 0),
        ("leading", 41_000),
        ("pitching", 52_000),
        ("stacked", 70_100),
        ("hypothetical", 88_000),
        ("closed", 100_200),
    ]
    assert part.figures["questions"] == 6
    assert part.figures["by_class"]["leading"] == 1
    # 103 s of transcript: too short for questions per hour, and said so.
    assert part.figures["per_hour"] == {}
    assert any("too short for questions per hour" in reason for reason in part.unmeasured)
    listed = [o for o in part.observations if o.key == "question.pitching"]
    assert listed[0].moment is not None
    assert listed[0].moment.segment_id == 5
    assert "Would you use it?" in listed[0].quote


def test_interruptions_are_the_team_starting_inside_a_line_or_right_after_one_cut_short():
    part = asking(Call(lines=INTERVIEW), STANDARDS)
    assert part.figures["interruptions"] == 2
    moments = [o.moment.segment_id for o in part.observations if o.key == "questions.interruption"]
    assert moments == [7, 9]


def test_the_pause_after_answers_is_their_median():
    part = asking(Call(lines=INTERVIEW), STANDARDS)
    # Gaps after the customer's answers: 1, 2, 0.1 (cut off), none (the team began inside
    # her line), 0.2: the median of four is 0.6.
    assert part.figures["pause_median_s"] == pytest.approx(0.6, abs=0.01)
    assert part.figures["short_pauses"] == 2
    pause = next(o for o in part.observations if o.key == "questions.pause")
    assert pause.tone == Tone.IMPROVE


def test_questions_per_hour_from_ten_minutes_of_recording():
    lines = [
        line
        for n in range(60)
        for line in said(
            (n * 10, n * 10 + 3, TEAM, "Don't you hate it?"),
            (n * 10 + 4, n * 10 + 10, CUSTOMER, "Well, it is fine."),
        )
    ]
    part = asking(Call(lines=lines), STANDARDS)
    assert part.figures["per_hour"]["leading"] == pytest.approx(360.0, abs=0.1)


def test_a_transcript_of_start_times_only_has_no_pauses_or_interruptions():
    # As importers fill in the ends of formats that give only starts: each line ends where
    # the next begins, and no line ends with a full stop.
    lines = said(
        (0, 5, TEAM, "What do you do"),
        (5, 20, CUSTOMER, "I run finance and"),
        (20, 25, TEAM, "How big is the team"),
        (25, 40, CUSTOMER, "Six people"),
        (40, 45, TEAM, "Thanks"),
    )
    part = asking(Call(lines=lines), STANDARDS)
    assert "interruptions" not in part.figures
    assert "pause_median_s" not in part.figures
    assert any("only when each line starts" in reason for reason in part.unmeasured)


def test_the_teams_own_mm_hmm_is_not_speaking_again():
    lines = said(
        (0, 5, TEAM, "Tell me about the close."),
        (5.2, 30, CUSTOMER, "It takes nine days."),
        (30.2, 31, TEAM, "Mm-hmm."),
        (33, 40, TEAM, "Why nine?"),
    )
    part = asking(Call(lines=lines), STANDARDS)
    assert part.figures["pause_median_s"] == 3.0


def test_a_language_without_patterns_still_gets_interruptions_and_pauses():
    part = asking(Call(lines=INTERVIEW, language="he"), STANDARDS)
    assert "not classed in Hebrew" in part.unmeasured[0]
    assert "questions" not in part.figures
    assert part.figures["interruptions"] == 2


# Digging


def note(kind: str, at_s: int, text: str = "words") -> NoteSeen:
    return NoteSeen(id=f"{kind}-{at_s}", kind=kind, text=text, at_s=at_s)


def test_ladders_reached_short_and_without_a_why():
    call = Call(
        notes=[note("solution_request", 60)],
        ladders=[
            Ladder(note("solution_request", 60), 3, note("pain", 200)),
            Ladder(note("solution_request", 400), 1, None),
            Ladder(note("solution_request", 900), 0, None),
        ],
        pains=[PainSeen(note("pain", 200), True), PainSeen(note("pain", 700), False)],
    )
    part = digging(call)
    assert part.figures["reached_root"] == 1
    assert part.figures["stopped_short"] == 1
    assert part.figures["without_why"] == 1
    assert part.figures["why_depth"] == pytest.approx(4 / 3, abs=0.01)
    assert part.figures["pains_measured"] == 1
    assert keys(part) == ["digging.root", "digging.short", "digging.no_why", "digging.no_kpi"]
    # Without a recording, an observation opens its note.
    moment = part.observations[1].moment
    assert moment is not None
    assert moment.note_id == "solution_request-400"
    assert moment.at_ms is None


def test_without_notes_digging_says_why_it_is_empty():
    assert "No notes were taken" in digging(Call()).unmeasured[0]


# The plan

GUIDE = [
    PlannedQuestion(1, "How do you close the books each month?", 10, "Context", "must", 5),
    PlannedQuestion(2, "Which invoices are paid late and why?", 10, "Context", "must", 5),
    PlannedQuestion(3, "What tools have you tried for invoicing?", 20, "Tools", "nice", 5, (7,)),
]


def test_a_must_ask_question_asked_in_other_words_counts_even_if_not_ticked():
    lines = said(
        (0, 5, TEAM, "So how do you close your books every month?"),
        (5, 20, CUSTOMER, "Slowly."),
    )
    call = Call(lines=lines, questions=GUIDE, ran_live=True, must_missed=GUIDE[:2])
    assert heard_in(call, GUIDE[0]) is not None
    assert heard_in(call, GUIDE[1]) is None
    part = plan(call, STANDARDS)
    assert part.figures["must_missed"] == 1
    missed = [o for o in part.observations if o.key == "plan.must_missed"]
    assert [o.quote for o in missed] == [GUIDE[1].text]


def test_a_call_neither_run_live_nor_transcribed_cannot_tell_what_was_asked():
    part = plan(Call(questions=GUIDE), STANDARDS)
    assert "must_missed" not in part.figures
    assert any("not known" in reason for reason in part.unmeasured)


def test_points_nothing_was_learned_about():
    call = Call(points=[Point(7, "VP1", "Books close late"), Point(8, "VP2", "Nobody cares")])
    call.points_heard = {7}
    part = plan(call, STANDARDS)
    assert part.figures["points_silent"] == 1
    assert [o.quote for o in part.observations if o.key == "plan.point_silent"] == ["Nobody cares"]


def test_intros_per_person_from_the_transcript_against_two_minutes():
    lines = said(
        (60, 250, TEAM, "I'm Dana, I've been at the company for years, let me tell you all."),
        (250, 300, CUSTOMER, "I'm Bo, I run finance."),
        (300, 310, TEAM, "How do you close the books each month?"),
    )
    call = Call(lines=lines, intros_at_s=60, ticks=[Tick(1, "asked", 300)], questions=GUIDE)
    part = plan(call, STANDARDS)
    assert part.figures["intros_s"] == 240
    assert part.figures["intros_by_person_s"] == {"Dana": 190, "Bo": 50}
    long = [o for o in part.observations if o.key == "plan.intro_long"]
    assert len(long) == 1
    assert long[0].text.startswith("Dana's intro took about 3 min 10 s")


def test_intros_without_a_transcript_are_timed_together():
    call = Call(intros_at_s=0, team_size=2, notes=[note("note", 300)])
    part = plan(call, STANDARDS)
    intros = next(o for o in part.observations if o.key == "plan.intros")
    assert intros.tone == Tone.WELL  # 5 minutes for three people


def test_time_per_section_from_the_ticks_against_the_guide():
    call = Call(
        questions=GUIDE,
        ticks=[Tick(1, "asked", 120), Tick(2, "asked", 300), Tick(3, "asked", 1500)],
        duration_s=2400,
        length_s=45 * 60,
        intros_at_s=0,
    )
    part = plan(call, STANDARDS)
    # Context: from the intros' end (2:00) to the Tools question (25:00); Tools: to the end
    # of the conversation (35:00).
    assert part.figures["sections"] == [
        {"section": "Context", "planned_min": 10, "actual_min": 23.0},
        {"section": "Tools", "planned_min": 5, "actual_min": 10.0},
    ]
    over = [o.text for o in part.observations if o.key == "plan.section_over"]
    assert over == [
        "“Context” took about 23 min against 10 planned.",
        "“Tools” took about 10 min against 5 planned.",
    ]


def test_a_call_that_ends_before_the_reserves_and_a_customer_who_never_asked():
    lines = said((0, 600, CUSTOMER, "Long answer."), (600, 700, TEAM, "Thanks, that's all."))
    call = Call(lines=lines, duration_s=30 * 60, length_s=45 * 60)
    part = plan(call, STANDARDS)
    assert "before the team's reserve" in next(
        o.text for o in part.observations if o.key == "plan.reserve_team"
    )
    customer = next(o for o in part.observations if o.key == "plan.reserve_customer")
    assert customer.tone == Tone.IMPROVE


def test_a_call_not_run_live_cannot_say_whether_the_team_kept_its_reserve():
    lines = said((0, 600, CUSTOMER, "Long answer."), (2200, 2210, TEAM, "Thanks."))
    part = plan(Call(lines=lines, length_s=45 * 60), STANDARDS)
    assert "plan.reserve_team" not in keys(part)
    assert any("whether the team's reserve happened" in reason for reason in part.unmeasured)


def test_the_customer_asking_their_questions_at_the_end():
    lines = said(
        (0, 600, CUSTOMER, "Long answer."),
        (2500, 2510, CUSTOMER, "Can I ask what you will do with this?"),
        (2510, 2530, TEAM, "Of course: we decide what to build next."),
    )
    call = Call(lines=lines, duration_s=45 * 60, length_s=45 * 60, queued_asked=2, ran_live=True)
    part = plan(call, STANDARDS)
    team = next(o for o in part.observations if o.key == "plan.reserve_team")
    assert team.tone == Tone.WELL
    assert "2 queued questions" in team.text
    customer = next(o for o in part.observations if o.key == "plan.reserve_customer")
    assert customer.tone == Tone.WELL
    assert customer.moment.segment_id == 2


# Kickoff


def test_consent_asked_after_the_recording_began_plays_the_moment_it_was_asked():
    lines = said(
        (0, 90, TEAM, "Small talk about the weather and the weekend."),
        (95, 100, TEAM, "Is it all right if we record this?"),
        (100, 102, CUSTOMER, "Sure."),
    )
    part = kickoff(Call(lines=lines, consent="yes", consent_at_s=101))
    late = next(o for o in part.observations if o.key == "kickoff.consent_late")
    assert "01:35" in late.text  # heard on the recording 95 s in
    assert late.moment is not None
    assert late.moment.segment_id == 2


def test_consent_saved_before_the_recording_began_is_well():
    lines = said(
        (0, 5, TEAM, "Thanks. We're here to learn how you close the books."),
        (5, 9, CUSTOMER, "Sure."),
    )
    call = Call(lines=lines, consent="yes", consent_at_s=-30, offset_s=0)
    part = kickoff(call)
    assert keys(part, Tone.WELL) == ["kickoff.consent", "kickoff.purpose"]


def test_the_purpose_is_recognised_in_the_words_of_the_purpose_statement():
    purpose = "Acme is shaping its invoicing product and wants to learn how finance teams work."
    lines = said(
        (10, 20, TEAM, "So Acme is shaping an invoicing product, and we want"),
        (20, 25, TEAM, "to see how finance teams like yours work."),
        (25, 30, CUSTOMER, "Sounds good."),
    )
    part = kickoff(Call(lines=lines, consent="yes", consent_at_s=0, purpose=purpose, language="de"))
    assert part.figures["purpose_stated"] is True


def test_consent_heard_only_on_the_screen_late_is_not_called_late():
    # The answer saved 40 s into the call, the question not heard on the recording: the
    # recording's start on the call's clock is not sure enough to say it ran before.
    lines = said((0, 5, TEAM, "Tell me about your week."), (5, 30, CUSTOMER, "Busy."))
    part = kickoff(Call(lines=lines, consent="yes", consent_at_s=40, ran_live=True))
    assert "kickoff.consent_late" not in keys(part)
    assert any("not heard on the recording" in reason for reason in part.unmeasured)


def test_a_consent_confirmed_when_a_recording_was_added_says_nothing_of_the_call():
    lines = said((0, 5, TEAM, "Tell me about your week."), (5, 30, CUSTOMER, "Busy."))
    part = kickoff(Call(lines=lines, consent="yes", consent_at_s=20_000, duration_s=2700))
    assert keys(part, Tone.IMPROVE) == ["kickoff.purpose_missing"]


def test_a_customer_who_said_no_to_recording():
    lines = said((0, 5, TEAM, "May we record this?"), (5, 8, CUSTOMER, "No, thanks."))
    part = kickoff(Call(lines=lines, consent="no", consent_at_s=3, ran_live=True))
    assert "kickoff.consent_no" in keys(part, Tone.NOTE)
    assert "kickoff.consent" not in keys(part)


def test_a_share_that_reads_as_the_aim_meets_it():
    lines = said((0, 305, TEAM, "Talk."), (305, 1000, CUSTOMER, "More talk."))  # 69.5 %
    share = next(
        o
        for o in talk(Call(lines=lines), Standards(customer_share=0.7)).observations
        if o.key == "talk.share"
    )
    assert share.tone == Tone.WELL
    assert "70 %" in share.text


def test_the_purpose_said_in_the_line_after_the_consent_is_placed_there():
    lines = said(
        (0, 5, TEAM, "Is it all right if we record this call?"),
        (6, 12, TEAM, "Thanks. We're here to learn how you close the books."),
        (12, 20, CUSTOMER, "Sure."),
    )
    purpose = next(
        o
        for o in kickoff(Call(lines=lines, consent="yes", consent_at_s=0)).observations
        if o.key == "kickoff.purpose"
    )
    assert purpose.moment is not None
    assert purpose.moment.segment_id == 2


def test_a_call_timed_shorter_than_its_transcript_lasts_as_long_as_it():
    lines = said((0, 600, CUSTOMER, "Long answer."), (600, 2400, TEAM, "And more."))
    call = Call(lines=lines, duration_s=0, offset_s=0)
    assert call.held_s == 2400
    assert plan(call, STANDARDS).figures["duration_s"] == 2400


def test_no_consent_and_no_purpose():
    lines = said((0, 5, TEAM, "Let's dive in: what do you do?"), (5, 9, CUSTOMER, "Finance."))
    part = kickoff(Call(lines=lines, ran_live=True))
    assert set(keys(part, Tone.IMPROVE)) == {"kickoff.consent_missing", "kickoff.purpose_missing"}


# The report and its advice


def test_the_three_things_follow_the_documented_order():
    report = compute(Call(lines=INTERVIEW))
    texts = [item.text for item in report.advice]
    order = [text for _keys, text in ADVICE]
    assert len(texts) == 3
    assert texts == sorted(texts, key=order.index)
    assert texts[0].startswith("Keep our solution out")  # pitching comes first
    # Each piece of advice has a moment to play where its observations have one.
    assert report.advice[0].because.moment is not None


def test_advice_is_empty_when_nothing_needs_doing():
    part = Part("talk", "Talk time")
    assert advice_for([part]) == []


def test_a_call_of_two_minutes_and_one_of_three_hours():
    short = compute(
        Call(lines=said((0, 60, TEAM, "Hi, tell me about it?"), (60, 120, CUSTOMER, "Sure, here.")))
    )
    assert short.trend.minutes == 2.0
    long_lines = [
        line
        for n in range(1350)
        for line in said(
            (n * 8, n * 8 + 2, TEAM, "Why is that?"),
            (n * 8 + 3, n * 8 + 8, CUSTOMER, "Because it is."),
        )
    ]
    long = compute(Call(lines=long_lines))
    assert long.trend.minutes == pytest.approx(180, abs=0.1)
    assert long.trend.questions == 1350
    data = long.to_json()
    assert data["version"] >= 1
    assert len(data["parts"]) == 5
