"""`heard coach`: classing questions from a file or standard input, and measuring the classes
against a labelled file, without a database."""

from __future__ import annotations

import io
import json
import sys

import pytest
from django.core.management import CommandError, call_command

from heard.cli import usage


def run(*args: str, stdin: str | None = None) -> str:
    out = io.StringIO()
    if stdin is not None:
        old, sys.stdin = sys.stdin, io.StringIO(stdin)
    try:
        call_command("coach", *args, stdout=out)
    finally:
        if stdin is not None:
            sys.stdin = old
    return out.getvalue()


def test_classify_prints_one_json_object_a_line(tmp_path):
    questions = tmp_path / "questions.txt"
    questions.write_text(
        "Tell me about the last time it broke.\n\nWouldn't it be great to automate it?\n",
        encoding="utf-8",
    )
    lines = [json.loads(line) for line in run("classify", str(questions)).splitlines()]
    assert lines == [
        {
            "text": "Tell me about the last time it broke.",
            "class": "open",
            "why": "it asks them to tell it in their own words",
        },
        {
            "text": "Wouldn't it be great to automate it?",
            "class": "leading",
            "why": "it suggests the answer it expects: “wouldn't it”",
        },
    ]


def test_classify_reads_standard_input_and_keeps_hostile_text_as_text():
    said = run("classify", "-", stdin='=cmd|" /C calc"!A0?\n<script>alert(1)</script>?\n')
    found = [json.loads(line) for line in said.splitlines()]
    assert [item["text"] for item in found] == ['=cmd|" /C calc"!A0?', "<script>alert(1)</script>?"]
    assert all(item["class"] for item in found)


def test_evaluate_prints_precision_and_recall(tmp_path):
    labelled = tmp_path / "labelled.tsv"
    labelled.write_text("# class\tquestion\nopen\tWhy?\nclosed\tDo you use Excel?\n")
    table = run("evaluate", str(labelled))
    assert "macro-F1 1.000" in table


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("classify", "/no/such/file.txt"), "Cannot read /no/such/file.txt"),
        (("classify", "-", "--language", "he"), "No question patterns for 'he'"),
        (("evaluate", "/no/such.tsv"), "Cannot read"),
    ],
)
def test_bad_input_is_one_line_and_a_failure(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_a_malformed_labelled_file_says_so(tmp_path):
    labelled = tmp_path / "labelled.tsv"
    labelled.write_text("not-a-class\tWhy?\n")
    with pytest.raises(CommandError, match="Cannot read"):
        run("evaluate", str(labelled))


def test_the_command_is_listed():
    assert "coach" in usage()
