"""One clock, everywhere Heard writes a time: 24-hour (Heard has no per-person locale), in the
templates' formats, in Python's, in the browser modules' and in Django's defaults."""

from __future__ import annotations

import datetime
import re
import zoneinfo
from pathlib import Path

import pytest
from django.template import Context, Template

import heard

SRC = Path(heard.__file__).resolve().parent
# Django's format codes for a 12-hour clock: hour (g, h), a.m./p.m. (a, A) and "2:30 p.m." (P).
TWELVE_HOUR_CODES = re.compile(r"(?<!\\)[ghaAP]")
TEMPLATE_FORMAT = re.compile(r"""\|(?:date|time|zoned):(["'])(.*?)\1""")
PYTHON_FORMAT = re.compile(r"""(?:date_format|dateformat\.format)\(.*?,\s*(["'])(.*?)\1\)""")
STRFTIME_12_HOUR = re.compile(r"%-?[IlpP]\b")
JS_CLOCK = re.compile(
    r"toLocale(?:Time)?String\(([^;]*hour[^;]*)\)|DateTimeFormat\(([^;]*hour[^;]*)\)"
)


def sources(pattern: str) -> list[Path]:
    return [path for path in sorted(SRC.rglob(pattern)) if "migrations" not in path.parts]


def test_the_templates_name_24_hour_formats():
    found = []
    for path in sources("*.html"):
        for match in TEMPLATE_FORMAT.finditer(path.read_text()):
            found.append(match.group(2))
            assert not TWELVE_HOUR_CODES.search(match.group(2)), (path.name, match.group(2))
    assert "D j M Y, H:i" in found


def test_python_writes_24_hour_times():
    found = []
    for path in sources("*.py"):
        text = path.read_text()
        assert not STRFTIME_12_HOUR.search(text), path.name
        for match in PYTHON_FORMAT.finditer(text):
            found.append(match.group(2))
            assert not TWELVE_HOUR_CODES.search(match.group(2)), (path.name, match.group(2))
    assert "l j F Y, H:i" in found  # the summary's Markdown


def test_the_browser_modules_keep_the_24_hour_clock_whatever_the_language():
    calls = []
    for path in sources("*.js"):
        for match in JS_CLOCK.finditer(path.read_text()):
            options = match.group(1) or match.group(2)
            calls.append(options)
            assert 'hourCycle: "h23"' in options, (path.name, options)
    assert calls, "the live screen shows wall-clock times"


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{ moment }}", "15 Jan 2027, 14:05"),
        ("{{ moment|time }}", "14:05"),
        ("{{ moment|date }}", "15 Jan 2027"),
        ('{{ moment|date:"DATETIME_FORMAT" }}', "15 Jan 2027, 14:05"),
        ('{{ moment|date:"SHORT_DATETIME_FORMAT" }}', "15 Jan 2027, 14:05"),
    ],
)
def test_a_time_shown_without_a_format_reads_the_24_hour_clock(settings, template, expected):
    settings.TIME_ZONE = "Europe/Berlin"
    moment = datetime.datetime(2027, 1, 15, 14, 5, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin"))
    assert Template(template).render(Context({"moment": moment})) == expected
