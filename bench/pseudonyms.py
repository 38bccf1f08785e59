"""Pseudonymising text: how long `participants.pseudonyms.Pseudonyms.text` takes a sentence
for a study of 300 participants, against a regular expression of every name (the plainest
way, and the first one Heard had), in one process side by side.

Needs no database: the participants are made in memory.

    .venv/bin/python bench/pseudonyms.py

The last line is one JSON object: {"heard_us": .., "regex_us": .., "ratio": ..}; the ratio is
Heard's time over the regular expression's (below 1: faster). For scale: the benchmark
study's XLSX (bench/synthesis.py) passes about 75,000 texts through it when pseudonymised.
"""

from __future__ import annotations

import json
import os
import random
import re
import tempfile
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heard.settings")
os.environ.setdefault("HEARD_DATA_DIR", tempfile.mkdtemp(prefix="heard-bench-pseudonyms-"))

PEOPLE = 300
TEXTS = 2000
EXPORT_TEXTS = 15_000 * 5
FIRST = ["Anna", "Bob", "Chloé", "Dmitri", "Eva", "Farid", "Grace", "Hugo", "Ines", "Jonas"]
SENTENCES = [
    "They rebuild the same reports by hand every week and want that time back.",
    "Anna said the board reads it on Monday, and {name} at {company} does the same.",
    "Hours per campaign report, about three today; {name} wants it under one.",
    "Write to {email} about the beta once the scheduled reports are ready.",
]


def people() -> list:  # type: ignore[type-arg]
    from heard.participants.models import Participant

    return [
        Participant(
            pk=i + 1,
            name=f"{FIRST[i % len(FIRST)]} Lastname{i}",
            email=f"person{i}@example.org",
            company=f"Company {i % 50}",
        )
        for i in range(PEOPLE)
    ]


def texts(made: list) -> list[str]:  # type: ignore[type-arg]
    rng = random.Random(7)
    out = []
    for _ in range(TEXTS):
        person = rng.choice(made)
        out.append(
            rng.choice(SENTENCES).format(
                name=person.name, company=person.company, email=person.email
            )
        )
    return out


def regex_of(made: list) -> tuple[re.Pattern[str], dict[str, str]]:  # type: ignore[type-arg]
    """Every name, first and last name, email and company in one alternation."""
    replacements: dict[str, str] = {}
    for person in made:
        alias = f"P{person.pk:02d}"
        for said in (person.name, person.email, *person.name.split()):
            replacements.setdefault(" ".join(said.split()).casefold(), alias)
        replacements.setdefault(person.company.casefold(), "[company]")
    words = sorted(replacements, key=len, reverse=True)
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE
    )
    return pattern, replacements


def per_text_us(work, sample: list[str]) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    for text in sample:
        work(text)
    return (time.perf_counter() - started) / len(sample) * 1e6


def main() -> None:
    import django

    django.setup()
    from heard.participants.pseudonyms import Pseudonyms

    made = people()
    sample = texts(made)
    hide = Pseudonyms(made, {person.pk: person.pk for person in made}, on=True)
    pattern, replacements = regex_of(made)

    def by_regex(text: str) -> str:
        return pattern.sub(lambda m: replacements.get(m.group().casefold(), m.group()), text)

    assert all("Lastname" not in hide.text(text) for text in sample)
    assert all("Lastname" not in by_regex(text) for text in sample)
    per_text_us(hide.text, sample[:200])  # warm up
    heard = min(per_text_us(hide.text, sample) for _ in range(3))
    regex = min(per_text_us(by_regex, sample) for _ in range(3))
    ratio = heard / regex
    print(f"{PEOPLE} participants, {TEXTS} sentences")
    print(f"{'way':<32} {'µs a text':>10}")
    print(f"{'Heard (word by word)':<32} {heard:>10.1f}")
    print(f"{'one regular expression':<32} {regex:>10.1f}")
    print(
        f"ratio to the regular expression {ratio:.3f}; the benchmark study's XLSX with "
        f"pseudonyms: about {heard * EXPORT_TEXTS / 1e6:.1f} s of it"
    )
    print(
        json.dumps(
            {"heard_us": round(heard, 1), "regex_us": round(regex, 1), "ratio": round(ratio, 3)}
        )
    )


if __name__ == "__main__":
    main()
