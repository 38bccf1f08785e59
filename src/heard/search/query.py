"""The query language people already know from web search, read into plain data.

    invoice            a word (stemmed: "invoices", "invoicing")
    "per seat"         an exact phrase
    -export            not this word (or -"a phrase")
    slack OR teams     either (binds tighter than the spaces between terms)
    integr*            a word starting so (two letters or more)
    kind:pain          a filter: study: kind: speaker: segment: participant: interviewer:
                       after: before: point: (a value with spaces in quotes: study:"Q3 pricing";
                       -kind:note excludes)

Anything else is read as words: punctuation and the syntax of either engine (`NEAR`, `^`,
`:`, stray quotes) is never passed to the database. `read` never raises: what it could not
use is said in `Query.notes`, in words.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

MAX_LENGTH = 1000
MAX_TERMS = 30
MIN_PREFIX = 2

FILTERS = (
    "study",
    "kind",
    "speaker",
    "segment",
    "participant",
    "interviewer",
    "after",
    "before",
    "point",
)
DATE_FILTERS = ("after", "before")

# A word, as both engines' tokenizers see one: letters and digits, with the combining marks
# of accents and Hebrew points kept inside the word (not the underscore).
WORD = re.compile(r"(?:[^\W_]|[\u0300-\u036f\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7])+")
TOKEN = re.compile(
    r"""
    (?P<neg>-)?
    (?:
        (?P<key>[A-Za-z]+):(?:"(?P<qvalue>[^"]*)"?|(?P<value>[^\s"]+))
      | "(?P<phrase>[^"]*)"?
      | (?P<bare>[^\s"]+)
    )
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Term:
    """Words to find together, in order (one word, or a phrase), the last perhaps a prefix."""

    words: tuple[str, ...]
    prefix: bool = False

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1

    def __str__(self) -> str:
        if self.prefix:  # a quoted phrase takes no prefix: its words joined as one token
            return "-".join(self.words) + "*"
        text = " ".join(self.words)
        return f'"{text}"' if self.is_phrase else text


@dataclass(frozen=True)
class Filter:
    key: str
    value: str
    negated: bool = False

    @property
    def date(self) -> datetime.date | None:
        try:
            return datetime.date.fromisoformat(self.value)
        except ValueError:
            return None

    def __str__(self) -> str:
        value = f'"{self.value}"' if re.search(r"\s", self.value) else self.value
        return f"{'-' if self.negated else ''}{self.key}:{value}"


@dataclass
class Query:
    groups: list[list[Term]] = field(default_factory=list)
    """Every group must match: a group is its terms joined by OR."""
    excluded: list[Term] = field(default_factory=list)
    filters: list[Filter] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What was left out or changed, to say on the page."""

    @property
    def has_words(self) -> bool:
        return bool(self.groups)

    @property
    def is_empty(self) -> bool:
        return not (self.groups or self.excluded or self.filters)

    @property
    def terms(self) -> list[Term]:
        """Every term to find (for marking them in the snippets)."""
        return [term for group in self.groups for term in group]

    def filter_values(self, key: str) -> list[Filter]:
        return [item for item in self.filters if item.key == key]

    def __str__(self) -> str:
        """The query, as `read` would read it again."""
        parts = [" OR ".join(map(str, group)) for group in self.groups]
        parts += [f"-{term}" for term in self.excluded]
        parts += [str(item) for item in self.filters]
        return " ".join(parts)


def clean(text: str) -> str:
    """The query as text: composed (NFC), without control characters, at most MAX_LENGTH."""
    text = unicodedata.normalize("NFC", text)
    return "".join(
        " " if unicodedata.category(char) in ("Cc", "Zl", "Zp") else char
        for char in text
        if unicodedata.category(char) != "Cf" or char in "\u200c\u200d"
    )


def words_of(text: str) -> tuple[str, ...]:
    return tuple(match.group(0).casefold() for match in WORD.finditer(text))


def read(text: str) -> Query:
    query = Query()
    text = clean(text or "")
    if len(text) > MAX_LENGTH:
        text = text[:MAX_LENGTH]
        query.notes.append(f"Only the first {MAX_LENGTH:,} characters of the search were used.")
    pending_or = False
    negate_next = False
    dropped = False
    for match in TOKEN.finditer(text):
        negated = bool(match.group("neg")) or negate_next
        negate_next = False
        key = (match.group("key") or "").lower()
        bare = match.group("bare")
        if key and key in FILTERS:
            value = (
                match.group("qvalue") if match.group("qvalue") is not None else match.group("value")
            ) or ""
            value = " ".join(value.split())
            if not value:
                query.notes.append(
                    f"“{key}:” needs something after it, such as {key}:{_example(key)}."
                )
                continue
            item = Filter(key, value, negated)
            if key in DATE_FILTERS and item.date is None:
                query.notes.append(
                    f"“{key}:” takes a date such as {key}:2026-03-31: “{value}” was left out."
                )
                continue
            query.filters.append(item)
            pending_or = False
            continue
        if bare in ("OR", "|"):
            pending_or = bool(query.groups) and not negated
            continue
        if bare == "AND":
            continue
        if bare == "NOT":
            negate_next = True
            continue
        if key:  # not a filter: "note:" or "http://…" is words
            source = match.group(0).lstrip("-")
        elif match.group("phrase") is not None:
            source = match.group("phrase")
        else:
            source = bare or ""
        words = words_of(source)
        if not words:
            continue
        prefix = source.rstrip().endswith("*") and match.group("phrase") is None
        if prefix and len(words[-1]) < MIN_PREFIX:
            query.notes.append(
                f"A search for words starting with something needs {MIN_PREFIX} letters or more: "
                f"“{words[-1]}*” was read as the word “{words[-1]}”."
            )
            prefix = False
        term = Term(words, prefix)
        if len(query.terms) + len(query.excluded) >= MAX_TERMS:
            dropped = True
            continue
        if negated:
            query.excluded.append(term)
            pending_or = False
        elif pending_or and query.groups:
            query.groups[-1].append(term)
            pending_or = False
        else:
            query.groups.append([term])
    if dropped:
        query.notes.append(f"Only the first {MAX_TERMS} words and phrases were used.")
    if query.excluded and not query.groups and not query.filters:
        query.notes.append(
            "A search cannot only leave things out: add a word to look for, or a filter."
        )
    return query


def _example(key: str) -> str:
    return {
        "study": '"Q3 pricing"',
        "kind": "pain",
        "speaker": "customer",
        "segment": "SMB",
        "participant": "Olivia",
        "interviewer": "Sam",
        "after": "2026-03-01",
        "before": "2026-03-31",
        "point": "VP2",
    }[key]
