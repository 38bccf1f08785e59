"""The words a search found, marked in a snippet of the text around them.

Marking is done here, the same way for both databases: each word of the text is compared,
accents and case aside, with each word of the query as it is, as its Snowball stem (the
entry's language's, English where none is known, as PostgreSQL stems) and as Porter's
(SQLite's), or as a prefix. A phrase is marked where its words follow each other.
"""

from __future__ import annotations

import functools
import html
import unicodedata
from collections.abc import Sequence

import snowballstemmer
from django.utils.safestring import SafeString, mark_safe

from heard.search import languages
from heard.search.query import WORD, Term

# A text longer than this is cut to a window around the first word found.
SNIPPET_CHARS = 280


def fold(word: str) -> str:
    """A word without case or accents: "Café" → "cafe"."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@functools.cache
def _stemmer(name: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(name)


@functools.lru_cache(maxsize=20_000)
def stems(word: str, language: str) -> frozenset[str]:
    name = languages.stemmer_name(language)
    found = {word, _stemmer("porter").stemWord(word)}
    if name:
        found.add(_stemmer(name).stemWord(word))
    return frozenset(found)


def _matches(token: str, word: str, prefix: bool, language: str) -> bool:
    if prefix:
        return token.startswith(word) or any(s.startswith(word) for s in stems(token, language))
    return token == word or bool(stems(token, language) & stems(word, language))


def spans(text: str, terms: Sequence[Term], language: str) -> list[tuple[int, int]]:
    """Where in `text` the terms are, as (start, end) character offsets, in order."""
    tokens = [(m.start(), m.end(), fold(m.group(0))) for m in WORD.finditer(text)]
    found: list[tuple[int, int]] = []
    for term in terms:
        words = [fold(word) for word in term.words]
        for i in range(len(tokens) - len(words) + 1):
            if all(
                _matches(tokens[i + k][2], word, term.prefix and k == len(words) - 1, language)
                for k, word in enumerate(words)
            ):
                found.append((tokens[i][0], tokens[i + len(words) - 1][1]))
    found.sort()
    merged: list[tuple[int, int]] = []
    for start, end in found:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def snippet(text: str, terms: Sequence[Term], language: str = "") -> SafeString:
    """The text (or a window of it around the first word found), escaped, with the words
    found in `<mark>`."""
    marks = spans(text, terms, language)
    start, end = 0, len(text)
    if len(text) > SNIPPET_CHARS:
        first = marks[0][0] if marks else 0
        start = max(0, first - SNIPPET_CHARS // 3)
        if start:  # begin at a word
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < first else start
        end = min(len(text), start + SNIPPET_CHARS)
        if end < len(text):
            space = text.rfind(" ", start, end)
            end = space if space > max(start, first) else end
    out = ["…" if start else ""]
    at = start
    for mark_start, mark_end in marks:
        if mark_end <= start or mark_start >= end:
            continue
        mark_start, mark_end = max(mark_start, start), min(mark_end, end)
        out.append(html.escape(text[at:mark_start]))
        out.append(f"<mark>{html.escape(text[mark_start:mark_end])}</mark>")
        at = mark_end
    out.append(html.escape(text[at:end]))
    out.append("…" if end < len(text) else "")
    return mark_safe("".join(out))
