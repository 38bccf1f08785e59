"""Which words count as the same word, by language.

PostgreSQL stems with Snowball for each language below (a text search configuration
`heard_<language>` each, made by this app's first migration, with accents folded by
`unaccent` and no stop words, so that "how do you" is a phrase like any other); every other
language is matched word for word (`heard_simple`: Hebrew, Chinese…), but for words of plain
Latin letters, which it stems as English (an English word in a Hebrew interview). SQLite's
FTS5 has one stemmer, Porter's for English, which it applies to every word of plain Latin
letters, and folds accents itself. So both databases find the same things but where the two
English stemmers differ (Porter's and Snowball's, for a few words), and where a language
other than English is stemmed on PostgreSQL only ("factures" finds "facture" there).
The snippets mark words with the same Snowball stemmers in Python (`heard.search.snippets`).
"""

from __future__ import annotations

# Transcript language codes (`heard.core.languages`) → the Snowball stemmer of that language.
SNOWBALL: dict[str, str] = {
    "ar": "arabic",
    "da": "danish",
    "nl": "dutch",
    "en": "english",
    "fi": "finnish",
    "fr": "french",
    "de": "german",
    "el": "greek",
    "hi": "hindi",
    "hu": "hungarian",
    "id": "indonesian",
    "it": "italian",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "es": "spanish",
    "sv": "swedish",
    "tr": "turkish",
}

# The language assumed where none is known (a workspace that detects it from each recording).
DEFAULT = "en"


def stemmer_name(language: str) -> str | None:
    """The Snowball stemmer of a language code, or None to match word for word."""
    return SNOWBALL.get(language or DEFAULT)


def pg_config(language: str) -> str:
    """The PostgreSQL text search configuration an entry of this language is indexed with."""
    name = stemmer_name(language)
    return f"heard_{name}" if name else "heard_simple"


def pg_configs() -> list[str]:
    return sorted({pg_config(code) for code in SNOWBALL} | {"heard_simple"})
