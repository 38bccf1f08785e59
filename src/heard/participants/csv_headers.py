"""What each column of a participant CSV holds, guessed from its header.

CRMs, spreadsheets and recruiting tools name their columns in many ways and languages. A
name often comes in two columns (`First Name`, `Last Name`), which the import joins. Pure
functions, no database.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from heard.participants.profile import (
    ROLE_NAMES,
    ProfileKey,
    ascii_slug,
    key_from_header,
    plain_words,
)

IGNORE = "ignore"
NEW_PROFILE_FIELD = "new"
PROFILE_PREFIX = "profile:"
# The two columns a name may come in; the import joins them, first name first.
FIRST_NAME = "first_name"
LAST_NAME = "last_name"
NAME_PARTS = (FIRST_NAME, LAST_NAME)
PART_LABELS = {FIRST_NAME: "First name", LAST_NAME: "Last name"}
STANDARD_FIELDS = ("name", "email", "company", "role", "segment")
FIELD_LABELS = {
    "name": "Name",
    "email": "Email",
    "company": "Company",
    "role": "Role or title",
    "segment": "Segment",
}
# The last column of Heard's own export: when each participant was added, never imported.
ADDED_ON = "Added on"

# Header names (lower-case ASCII, punctuation as spaces) that say which field a column holds.
SYNONYMS = {
    "name": {"full name", "fullname", "participant", "participant name", "contact",
             "contact name", "customer", "customer name", "person", "interviewee",
             "respondent", "respondent name", "candidate", "candidate name", "display name",
             "nom complet", "vollstandiger name", "nombre completo", "nome completo"},
    FIRST_NAME: {"first name", "firstname", "first", "given name", "givenname", "given names",
                 "forename", "forenames", "vorname", "prenom", "primer nombre",
                 "primeiro nome", "voornaam", "fornavn", "fornamn", "imie", "etunimi"},
    LAST_NAME: {"last name", "lastname", "last", "surname", "surnames", "family name",
                "familyname", "nachname", "familienname", "nom de famille", "apellido",
                "apellidos", "cognome", "sobrenome", "achternaam", "efternavn", "etternavn",
                "efternamn", "nazwisko", "sukunimi"},
    "email": {"email", "e mail", "email address", "e mail address", "mail", "work email",
              "courriel", "adresse e mail", "e mail adresse", "correo", "correo electronico"},
    "company": {"company", "company name", "organisation", "organization", "org", "account",
                "account name", "employer", "customer company", "firma", "unternehmen",
                "societe", "entreprise", "empresa", "azienda"},
    "role": set(ROLE_NAMES),
    "segment": {"segment", "customer segment", "persona", "cohort", "market segment"},
}  # fmt: skip
# Words for a name that name its last part beside a first name, and the whole name otherwise:
# `Vorname` + `Name`, `Prénom` + `Nom`; ...
_NAME_OR_LAST = {"name", "nom", "naam"}
# ... and those that name its first part beside a last name: `Nombre` + `Apellido`.
_NAME_OR_FIRST = {"nombre", "nome"}
_PART_ENDINGS = {
    FIRST_NAME: ("first name", "given name", "forename"),
    LAST_NAME: ("last name", "surname", "family name"),
}


def normalise(header: str) -> str:
    """A header as the vocabulary spells it: `E-Mail-Adresse` -> `e mail adresse`."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", ascii_slug(header)).split())


def profile_target(key: str) -> str:
    return f"{PROFILE_PREFIX}{key}"


def new_key_for(header: str, index: int) -> str:
    """The profile key a column becomes as a new profile field (`profile:x` columns keep x)."""
    stripped = header.strip()
    if stripped.lower().startswith(PROFILE_PREFIX):  # a column of Heard's own export
        stripped = stripped[len(PROFILE_PREFIX) :]
    return key_from_header(stripped, index)


def is_heard_export(headers: Sequence[str]) -> bool:
    """Whether the file is Heard's own export: its standard columns first, by their labels.
    Every column after them but "Added on" is then a profile field, named by its label."""
    standard = [FIELD_LABELS[name] for name in STANDARD_FIELDS]
    return [header.strip() for header in headers[: len(standard)]] == standard


def guess_mapping(headers: Sequence[str], profile_keys: Sequence[ProfileKey]) -> list[str]:
    """A first choice per column, from its header; columns nobody recognises are ignored.

    A column with the whole name wins over columns with its parts, and a place is guessed
    once: the first column that fits it gets it.
    """
    by_key = {item.key: item.key for item in profile_keys}
    by_label: dict[str, str] = {}
    for item in profile_keys:  # a label two fields share names the first
        by_label.setdefault(plain_words(item.label), item.key)
    exported = is_heard_export(headers)
    guesses = [
        _guess_exported(header, index, by_key, by_label)
        if exported and index >= len(STANDARD_FIELDS)
        else _guess_one(header, index, by_key, by_label)
        for index, header in enumerate(headers)
    ]
    has_first, has_last = FIRST_NAME in guesses, LAST_NAME in guesses
    for index, guess in enumerate(guesses):
        if guess == "name_or_last":
            guesses[index] = LAST_NAME if has_first and not has_last else "name"
        elif guess == "name_or_first":
            guesses[index] = FIRST_NAME if has_last and not has_first else "name"
    if "name" in guesses:  # a part beside the whole name is a profile field of that name, if any
        guesses = [
            _profile_field(headers[index], index, by_key, by_label)
            if guess in NAME_PARTS
            else guess
            for index, guess in enumerate(guesses)
        ]
    taken: set[str] = set()
    for index, guess in enumerate(guesses):
        if guess in taken:
            guesses[index] = IGNORE
        elif guess not in (IGNORE, NEW_PROFILE_FIELD):
            taken.add(guess)
    return guesses


def _guess_one(header: str, index: int, by_key: dict[str, str], by_label: dict[str, str]) -> str:
    stripped = header.strip()
    if stripped.lower().startswith(PROFILE_PREFIX):  # a column of Heard's own export
        key = new_key_for(stripped, index)
        return profile_target(key) if key in by_key else NEW_PROFILE_FIELD
    normal = normalise(stripped)
    if normal in _NAME_OR_LAST:
        return "name_or_last"
    if normal in _NAME_OR_FIRST:
        return "name_or_first"
    for name, words in SYNONYMS.items():
        if normal in words:
            return name
    for part, endings in _PART_ENDINGS.items():  # `Contact First Name`, `Candidate surname`
        if normal.endswith(tuple(f" {ending}" for ending in endings)):
            return part
    return _profile_field(stripped, index, by_key, by_label)


def _profile_field(
    header: str, index: int, by_key: dict[str, str], by_label: dict[str, str]
) -> str:
    """The profile field a header names, by its key or its label; else the column is ignored."""
    key = key_from_header(header.strip(), index)
    if key in by_key:
        return profile_target(key)
    label = plain_words(header)
    return profile_target(by_label[label]) if label in by_label else IGNORE


def _guess_exported(
    header: str, index: int, by_key: dict[str, str], by_label: dict[str, str]
) -> str:
    """A profile column of Heard's own export: a field's label, a key written out in words
    ("Team size" for team_size), or the `profile:key` of older exports."""
    stripped = header.strip()
    if stripped == ADDED_ON:
        return IGNORE
    normal = plain_words(stripped)
    if not stripped.lower().startswith(PROFILE_PREFIX) and normal in by_label:
        return profile_target(by_label[normal])
    key = new_key_for(stripped, index)
    return profile_target(key) if key in by_key else NEW_PROFILE_FIELD
