"""What kind of question the interviewer asked: open, closed, leading, hypothetical, pitching
or stacked, by rules written as data, one file of patterns per language
(`patterns/<language>.toml`, which explains the format). No network and no model: the same
question always gets the same class, with the reason.

`classify(text, language)` reads one turn of the interviewer's (lead-ins and all);
`questions_in(text, language)` finds the questions in it. A language without a file of
patterns gets no classes (`patterns_for` is None): the coach measures the rest.

The seam for a model that refines the classes later: `Classifier` is what the coach calls; a
model would be another `Classifier` chosen by a setting, taking the rules' verdict as input.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Protocol

PATTERNS = Path(__file__).resolve().parent / "patterns"


class QuestionClass(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    LEADING = "leading"
    HYPOTHETICAL = "hypothetical"
    PITCHING = "pitching"
    STACKED = "stacked"

    @property
    def label(self) -> str:
        return LABELS[self]


LABELS = {
    QuestionClass.OPEN: "Open",
    QuestionClass.CLOSED: "Closed (yes/no)",
    QuestionClass.LEADING: "Leading",
    QuestionClass.HYPOTHETICAL: "Hypothetical",
    QuestionClass.PITCHING: "Pitching",
    QuestionClass.STACKED: "Stacked",
}

# The classes the method warns against, worst first.
TO_AVOID = (
    QuestionClass.PITCHING,
    QuestionClass.LEADING,
    QuestionClass.HYPOTHETICAL,
    QuestionClass.STACKED,
)


class Scope(StrEnum):
    TEXT = "text"
    QUESTION = "question"
    QUESTIONS = "questions"


@dataclass(frozen=True)
class Rule:
    question_class: QuestionClass
    why: str
    scope: Scope
    patterns: tuple[re.Pattern[str], ...]
    unless: tuple[re.Pattern[str], ...]
    at_least: int

    def match(self, text: str, questions: list[str], asked: int) -> str | None:
        """The words that made the rule match, or None. `asked`: how many of `questions`
        are questions rather than prompts ("Tell me about…")."""
        if self.scope == Scope.QUESTIONS:
            if asked >= self.at_least > 0:
                return " / ".join(questions[:3])
            places = questions
        elif self.scope == Scope.QUESTION:
            places = questions[:1] or [text]
        else:
            places = [text]
        for place in places:
            if any(unless.search(place) for unless in self.unless):
                continue
            for pattern in self.patterns:
                found = pattern.search(place)
                if found:
                    return found.group(0)
        return None


@dataclass(frozen=True)
class Patterns:
    language: str
    name: str
    fillers: tuple[re.Pattern[str], ...]
    lead_ins: re.Pattern[str]
    prompts: re.Pattern[str]
    question_starts: re.Pattern[str]
    tags: re.Pattern[str]
    rules: tuple[Rule, ...]
    consent: re.Pattern[str] | None = None
    purpose: re.Pattern[str] | None = None

    def clean(self, text: str) -> str:
        text = text.lower().translate(STRAIGHT)
        for filler in self.fillers:
            text = filler.sub(" ", text)
        text = re.sub(r"\s+([,.?!])", r"\1", text)
        text = re.sub(r"([,.?!])(?:\s*,)+", r"\1", text)
        return re.sub(r"\s+", " ", text).strip(" ,")

    def is_question(self, sentence: str) -> bool:
        return sentence.endswith("?") or bool(self.question_starts.match(sentence))

    def questions(self, clean: str) -> list[str]:
        """The sentences of a cleaned turn that ask something, each without its lead-in; an
        agreeing tag ("…, right?", "… Right?") makes a question of the sentence before it."""
        found: list[str] = []
        before = ""  # the sentence before, unless it was taken as a question already
        for sentence in SENTENCES.findall(clean):
            sentence = sentence.strip(" ,")
            if not sentence:
                continue
            if self.tags.match(sentence):
                if before:
                    found.append(f"{before} {sentence}")
                elif found:
                    found[-1] = f"{found[-1]} {sentence}"
                before = ""
                continue
            sentence = self.lead_ins.sub("", sentence)
            if sentence and self.is_question(sentence):
                found.append(sentence)
                before = ""
            else:
                before = sentence
        return found


# Curly quotes made straight, as the patterns are written.
STRAIGHT = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2026": "..."}
)
SENTENCES = re.compile(r"[^.?!]+(?:[.?!]+|$)")


@dataclass(frozen=True)
class Verdict:
    question_class: QuestionClass
    why: str


class Classifier(Protocol):
    def __call__(self, text: str, language: str) -> Verdict | None: ...


def _compile(patterns: list[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(pattern, re.IGNORECASE) for pattern in patterns)


def read_patterns(path: Path) -> Patterns:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    rules = tuple(
        Rule(
            question_class=QuestionClass(rule["class"]),
            why=rule["why"],
            scope=Scope(rule.get("scope", "text")),
            patterns=_compile(rule.get("patterns", [])),
            unless=_compile(rule.get("unless", [])),
            at_least=int(rule.get("at_least", 0)),
        )
        for rule in data["rule"]
    )
    return Patterns(
        language=data["language"],
        name=data["name"],
        fillers=_compile(data.get("fillers", [])),
        lead_ins=re.compile(data.get("lead_ins", "(?!)"), re.IGNORECASE),
        prompts=re.compile(data.get("prompts", "(?!)"), re.IGNORECASE),
        question_starts=re.compile(data["question_starts"], re.IGNORECASE),
        tags=re.compile(data["tags"], re.IGNORECASE),
        rules=rules,
        consent=_one(data.get("kickoff", {}).get("consent")),
        purpose=_one(data.get("kickoff", {}).get("purpose")),
    )


def _one(pattern: str | None) -> re.Pattern[str] | None:
    return re.compile(pattern, re.IGNORECASE) if pattern else None


def languages() -> list[str]:
    """The languages with a file of patterns."""
    return sorted(path.stem for path in PATTERNS.glob("*.toml"))


def patterns_for(language: str) -> Patterns | None:
    """The patterns of `language`: "en-GB" reads English's, "" (not known) too; another
    language without a file of its own gets None."""
    return _patterns_of((language or "en").lower().replace("_", "-").split("-")[0])


@cache
def _patterns_of(code: str) -> Patterns | None:
    path = PATTERNS / f"{code}.toml"
    return read_patterns(path) if code.isalpha() and path.is_file() else None


def questions_in(text: str, language: str) -> list[str]:
    """The questions in one turn, cleaned (lower case, fillers out); [] without patterns."""
    patterns = patterns_for(language)
    return patterns.questions(patterns.clean(text)) if patterns is not None else []


def classify(text: str, language: str = "en") -> Verdict | None:
    """The class of the question(s) in one turn, with why; None when the language has no
    patterns or the text is empty."""
    patterns = patterns_for(language)
    if patterns is None:
        return None
    clean = patterns.clean(text)
    if not clean:
        return None
    questions = patterns.questions(clean) or [patterns.lead_ins.sub("", clean) or clean]
    asked = [question for question in questions if not patterns.prompts.match(question)]
    for rule in patterns.rules:
        found = rule.match(clean, questions, len(asked))
        if found is not None:
            words = found.strip(" ,.")
            # The words that decided it, where they are a phrase of the turn (a question's
            # first word, or the question itself, would say nothing more).
            quoted = rule.scope == Scope.TEXT and words
            return Verdict(rule.question_class, f"{rule.why}: “{words}”" if quoted else rule.why)
    return Verdict(QuestionClass.OPEN, "")
