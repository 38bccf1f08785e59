"""Taking a person's identifiers out of the texts Heard keeps after erasing them: their name,
email and phone numbers everywhere in the workspace, and within their own interviews their
first and last names and their company too. Each is replaced by `ERASED`."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils import timezone

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from heard.privacy.texts import Texts

ERASED = "[erased]"

# Rows are read and written this many at a time.
BATCH = 500

# A phone number as people write one: a plus, digits, spaces, dots, dashes and brackets, with
# seven digits or more.
PHONE = re.compile(r"\+?\d[\d\s().\-/]{5,}\d")
MIN_PHONE_DIGITS = 7
# Parts of a name shorter than this are not looked for alone ("Al", "Li": too many words).
MIN_NAME_PART = 3
# Their words are looked for elsewhere when they are at least this many words: shorter ones
# ("yes, sure") are anyone's.
MIN_SAID_WORDS = 4


def phones_in(texts: Iterable[str]) -> set[str]:
    """The phone numbers written in `texts`, as their digits."""
    found = set()
    for text in texts:
        for match in PHONE.finditer(text):
            digits = re.sub(r"\D", "", match.group())
            if len(digits) >= MIN_PHONE_DIGITS:
                found.add(digits)
    return found


def _phone_pattern(digits: str) -> str:
    # The digits in order, with anything people put between them.
    return r"\+?" + r"[\s().\-/]{0,3}".join(re.escape(d) for d in digits)


def _word_pattern(words: str) -> str:
    # A name's words in order, with any spacing between them, as whole words.
    parts = [re.escape(part) for part in words.split()]
    return r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)"


@dataclass(frozen=True)
class Identifiers:
    """What names a person: `words` (names, a company) and `literals` (emails) matched as
    they are, case aside, `phones` by their digits."""

    words: tuple[str, ...]
    literals: tuple[str, ...]
    phones: tuple[str, ...]

    @property
    def pattern(self) -> re.Pattern[str] | None:
        parts = [_word_pattern(w) for w in sorted(self.words, key=len, reverse=True) if w]
        parts += [re.escape(literal) for literal in self.literals if literal]
        parts += [_phone_pattern(digits) for digits in self.phones]
        return re.compile("|".join(parts), re.IGNORECASE) if parts else None

    @property
    def searched(self) -> list[str]:
        """Plain strings a database may look for first (case aside), to read only the rows
        that may hold one: the words and literals, and each phone's last four digits."""
        return [*self.words, *self.literals, *(digits[-4:] for digits in self.phones)]


def identifiers(
    name: str,
    email: str,
    phones: Iterable[str],
    company: str = "",
    said: Iterable[str] = (),
    *,
    close: bool = False,
) -> Identifiers:
    """A person's identifiers and `said`, words of theirs that go (copied into a summary or a
    finding, they go there too); `close`: for their own interviews, where their first and last
    names alone and their company name them too."""
    words = {" ".join(name.split())} if name.strip() else set()
    if close:
        words |= {part for part in name.split() if len(part) >= MIN_NAME_PART}
        if company.strip():
            words.add(" ".join(company.split()))
    words |= {" ".join(text.split()) for text in said if len(text.split()) >= MIN_SAID_WORDS}
    literals = {email.strip()} if email.strip() else set()
    return Identifiers(tuple(sorted(words)), tuple(sorted(literals)), tuple(sorted(set(phones))))


class Scrubber:
    """Replaces a person's identifiers (or redacted words) in texts and in JSON values by
    `replacement`, counting what it changed."""

    def __init__(self, found: Identifiers, replacement: str = ERASED) -> None:
        self.pattern = found.pattern
        self.replacement = replacement
        self.changed = 0

    def text(self, value: str) -> str:
        if not value or self.pattern is None:
            return value
        scrubbed = self.pattern.sub(self.replacement, value)
        if scrubbed != value:
            self.changed += 1
        return scrubbed

    def json(self, value: Any) -> Any:
        """A JSON value with every string in it scrubbed (keys too)."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.json(item) for item in value]
        if isinstance(value, dict):
            return {self.text(str(key)): self.json(item) for key, item in value.items()}
        return value


def rewrite(
    texts: Texts,
    rows: QuerySet[Any],
    found: Identifiers,
    *,
    replacement: str = ERASED,
    dry: bool = False,
) -> int:
    """Replace `found` by `replacement` in the texts and JSON values of `rows` (of the table
    `texts`); how many rows that changes (`dry`: counted only)."""
    changed = []
    for row in rows.iterator(BATCH):
        scrubber = Scrubber(found, replacement)
        for name in texts.fields:
            setattr(row, name, scrubber.text(getattr(row, name) or ""))
        for name in texts.json:
            setattr(row, name, scrubber.json(getattr(row, name)))
        if scrubber.changed:
            changed.append(row)
    if changed and not dry:
        # A row whose words changed is a changed row: a copy kept in step by its time of
        # change (the API's `updated_since`) must fetch it again and lose the words too.
        stamped = [
            field.name
            for field in texts.model._meta.concrete_fields
            if field.name == "updated_at" and getattr(field, "auto_now", False)
        ]
        now = timezone.now()
        for row in changed:
            for name in stamped:
                setattr(row, name, now)
        texts.model._default_manager.bulk_update(
            changed, [*texts.fields, *texts.json, *stamped], batch_size=BATCH
        )
    return len(changed)
