"""How well the patterns class questions labelled by hand: precision, recall and F1 per class,
and their mean over the classes (macro-F1). The labelled file is tab-separated, `class<TAB>question`
a line, `#` starting a comment."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from heard.coach.questions import QuestionClass, classify


@dataclass(frozen=True)
class Labelled:
    expected: QuestionClass
    text: str
    line: int


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Evaluation:
    per_class: dict[QuestionClass, Score]
    macro_f1: float
    accuracy: float
    mistakes: list[tuple[Labelled, QuestionClass]]

    def table(self) -> str:
        lines = [f"{'class':<13} {'precision':>9} {'recall':>7} {'F1':>6} {'n':>5}"]
        for klass, score in self.per_class.items():
            lines.append(
                f"{klass.value:<13} {score.precision:>9.3f} {score.recall:>7.3f} "
                f"{score.f1:>6.3f} {score.support:>5}"
            )
        lines.append(f"macro-F1 {self.macro_f1:.3f}, accuracy {self.accuracy:.3f}")
        return "\n".join(lines)


def read_labelled(path: Path) -> list[Labelled]:
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        label, text = line.split("\t")
        items.append(Labelled(QuestionClass(label.strip()), text.strip(), number))
    return items


def evaluate(items: Iterable[Labelled], language: str = "en") -> Evaluation:
    items = list(items)
    found: list[tuple[Labelled, QuestionClass]] = []
    for item in items:
        verdict = classify(item.text, language)
        found.append((item, verdict.question_class if verdict else QuestionClass.OPEN))
    per_class = {}
    for klass in QuestionClass:
        true_positive = sum(1 for item, got in found if got == klass and item.expected == klass)
        predicted = sum(1 for _item, got in found if got == klass)
        actual = sum(1 for item in items if item.expected == klass)
        precision = true_positive / predicted if predicted else 0.0
        recall = true_positive / actual if actual else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[klass] = Score(precision, recall, f1, actual)
    scored = [score for score in per_class.values() if score.support]
    return Evaluation(
        per_class=per_class,
        macro_f1=sum(score.f1 for score in scored) / len(scored) if scored else 0.0,
        accuracy=sum(1 for item, got in found if got == item.expected) / len(items)
        if items
        else 0.0,
        mistakes=[(item, got) for item, got in found if got != item.expected],
    )
