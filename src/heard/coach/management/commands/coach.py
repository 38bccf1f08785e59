from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from heard.coach.questions import classify, languages, patterns_for
from heard.coach.questions.evaluation import evaluate, read_labelled

MAX_LINE = 10_000  # characters of one question read; the rest of a longer line is left out


class Command(BaseCommand):
    help = (
        "The interviewer coach's tools. `classify FILE` (one question a line, - for standard "
        "input) prints one JSON object a line: the question, its class and why. `evaluate "
        "FILE` measures the classes against questions labelled by hand (class<TAB>question "
        "a line). Needs no database."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: ArgumentParser) -> None:
        tools = parser.add_subparsers(dest="tool", required=True, metavar="TOOL")
        classify_ = tools.add_parser("classify", help="Class each question of a file.")
        classify_.add_argument("file", help="One question a line; - reads standard input.")
        classify_.add_argument("--language", default="en", help="The questions' language.")
        evaluate_ = tools.add_parser("evaluate", help="Precision and recall on a labelled file.")
        evaluate_.add_argument("file", type=Path, help="class<TAB>question a line.")
        evaluate_.add_argument("--language", default="en", help="The questions' language.")

    def handle(self, *args: Any, **options: Any) -> None:
        language = options["language"]
        if patterns_for(language) is None:
            raise CommandError(
                f"No question patterns for {language!r}: Heard has {', '.join(languages())}."
            )
        if options["tool"] == "classify":
            self._classify(options["file"], language)
        else:
            self._evaluate(options["file"], language)

    def _lines(self, name: str) -> Iterable[str]:
        if name == "-":
            yield from sys.stdin
            return
        try:
            with open(name, encoding="utf-8", errors="replace") as questions:
                yield from questions
        except OSError as error:
            raise CommandError(f"Cannot read {name}: {error.strerror or error}.") from None

    def _classify(self, name: str, language: str) -> None:
        for line in self._lines(name):
            text = line.strip()[:MAX_LINE]
            if not text:
                continue
            verdict = classify(text, language)
            found = {
                "text": text,
                "class": verdict.question_class.value if verdict else None,
                "why": verdict.why if verdict else "",
            }
            self.stdout.write(json.dumps(found, ensure_ascii=False))

    def _evaluate(self, path: Path, language: str) -> None:
        try:
            items = read_labelled(path)
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from None
        if not items:
            raise CommandError(f"{path} holds no labelled question.")
        self.stdout.write(evaluate(items, language).table())
