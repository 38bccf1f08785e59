"""The question classifier against questions labelled by hand: precision and recall per class,
and the macro-F1 the patterns must keep (0.85). `en-holdout.tsv` was written after the patterns
and measured before any change to them (macro-F1 0.929 then); the three files are measured
together here. The table prints with `pytest -s`."""

from __future__ import annotations

from pathlib import Path

import pytest

from heard.coach.questions import (
    QuestionClass,
    classify,
    languages,
    patterns_for,
    questions_in,
)
from heard.coach.questions.evaluation import evaluate, read_labelled

HERE = Path(__file__).resolve().parent / "questions"
SETS = ("en-dev", "en-test", "en-holdout")
MACRO_F1_AT_LEAST = 0.85


@pytest.fixture(scope="module")
def labelled():
    return [item for name in SETS for item in read_labelled(HERE / f"{name}.tsv")]


def test_the_labelled_set_is_large_and_covers_every_class(labelled):
    assert len(labelled) >= 300
    assert {item.expected for item in labelled} == set(QuestionClass)


def test_precision_and_recall_per_class_keep_macro_f1_above_the_bar(labelled):
    result = evaluate(labelled)
    print()
    print(result.table())
    for item, got in result.mistakes:
        print(f"  line {item.line}: {item.expected.value} taken for {got.value}: {item.text}")
    assert result.macro_f1 >= MACRO_F1_AT_LEAST, result.table()
    for klass, score in result.per_class.items():
        assert score.f1 >= 0.75, f"{klass}: {score}"


def test_the_held_out_set_alone_keeps_the_bar():
    result = evaluate(read_labelled(HERE / "en-holdout.tsv"))
    assert result.macro_f1 >= MACRO_F1_AT_LEAST, result.table()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tell me about the last time you closed the books.", QuestionClass.OPEN),
        ("Okay, great. Walk me through your Monday.", QuestionClass.OPEN),
        # A prompt and its follow-up are one request, not two questions.
        ("Take me back to the last audit. What happened?", QuestionClass.OPEN),
        ("Do you use Excel for that?", QuestionClass.CLOSED),
        ("um so how many people are on the team", QuestionClass.CLOSED),
        # A lead-in does not hide the question.
        ("Right, so what happened next?", QuestionClass.OPEN),
        ("Don't you think the export is too slow?", QuestionClass.LEADING),
        ("That's a real pain, right?", QuestionClass.LEADING),
        ("Would you pay for a faster close?", QuestionClass.HYPOTHETICAL),
        ("If you had a magic wand, what would you change?", QuestionClass.HYPOTHETICAL),
        ("We're building a tool that files receipts. Would you use it?", QuestionClass.PITCHING),
        ("What tools do you use? And how often do you use them?", QuestionClass.STACKED),
        ("Do you track it, and if so how?", QuestionClass.STACKED),
        # Curly quotes and fillers as a speech model writes them.
        ("Isn\u2019t it, um, frustrating when the bank feed breaks?", QuestionClass.LEADING),
    ],
)
def test_classes_of_plain_examples(text, expected):
    verdict = classify(text)
    assert verdict is not None
    assert verdict.question_class == expected, verdict.why


def test_each_verdict_says_why_with_the_words_that_decided_it():
    verdict = classify("Don't you think it's slow?")
    assert verdict is not None
    assert "suggests the answer" in verdict.why
    assert "don't you" in verdict.why


def test_questions_are_found_without_question_marks_and_a_tag_joins_its_sentence():
    assert questions_in("So. Tell me about your team. We have six people", "en") == [
        "tell me about your team."
    ]
    found = questions_in("It breaks every week. Right? How do you fix it?", "en")
    assert found == ["it breaks every week. right?", "how do you fix it?"]


def test_a_lead_in_is_taken_off_only_where_it_is_one():
    # "Right, I see what you mean" says something; "Got it. So how…" asks.
    assert questions_in("Right, I see what you mean there.", "en") == []
    assert questions_in("Got it. So how do you close?", "en") == ["how do you close?"]


def test_a_language_without_patterns_gets_no_classes_and_says_so():
    assert "en" in languages()
    assert patterns_for("he") is None
    assert classify("מה קרה אז?", "he") is None
    assert questions_in("מה קרה אז?", "he") == []
    # Regional English and an unknown language code read English's patterns.
    assert patterns_for("en-GB") is patterns_for("en")
    assert patterns_for("") is patterns_for("en")


@pytest.mark.parametrize("text", ["", "   ", "?", "??!!", "\x00", "a" * 5000, "(" * 300])
def test_odd_input_gets_an_answer_or_none_never_an_error(text):
    verdict = classify(text)
    assert verdict is None or verdict.question_class in QuestionClass
