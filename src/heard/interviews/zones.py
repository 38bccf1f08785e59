"""Time zones as people pick them: the common ones first, any IANA name accepted."""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from functools import cache

from django.conf import settings

# The zones most interviews happen in; the form lists every other IANA zone after them.
COMMON_TIME_ZONES = (
    "UTC",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Amsterdam",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Stockholm",
    "Europe/Warsaw",
    "Europe/Athens",
    "Europe/Helsinki",
    "Europe/Istanbul",
    "Asia/Jerusalem",
    "Africa/Lagos",
    "Africa/Johannesburg",
    "Africa/Nairobi",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Australia/Sydney",
    "Pacific/Auckland",
    "America/St_Johns",
    "America/Halifax",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Mexico_City",
    "America/Bogota",
    "America/Sao_Paulo",
    "America/Argentina/Buenos_Aires",
)

# Present in the tz database but not places anyone meets in.
_NOT_PLACES = frozenset({"Factory", "localtime"})


@cache
def all_time_zones() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones() - _NOT_PLACES))


def is_time_zone(name: str) -> bool:
    return name in all_time_zones()


@cache
def zone_for(name: str) -> zoneinfo.ZoneInfo:
    """The zone of that name, kept for the life of the process: `ZoneInfo` keeps only the
    last eight strongly, and the schedule form's forty common zones, each with its offset,
    were read from disk again on every request. (Only valid names are kept: a name that is
    not a zone raises.)"""
    return zoneinfo.ZoneInfo(name)


def utc_offset_label(name: str, at: datetime) -> str:
    """The offset in force at `at`, such as UTC+05:30 for Asia/Kolkata."""
    offset = at.astimezone(zone_for(name)).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def _label(name: str, at: datetime) -> str:
    readable = name.replace("_", " ")
    return readable if name == "UTC" else f"{readable} ({utc_offset_label(name, at)})"


def time_zone_choices(at: datetime, also: str = "") -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices for a select: the common zones with their offset, then all others.

    `also` (the server's zone, or the interview's) joins the common group when it is not in it.
    """
    common = list(COMMON_TIME_ZONES)
    for extra in (settings.TIME_ZONE, also):
        if extra and extra not in common and is_time_zone(extra):
            common.insert(0, extra)
    common_set = set(common)
    return [
        (
            "Common time zones",
            [(name, _label(name, at)) for name in common],
        ),
        (
            "All other time zones",
            [(name, name.replace("_", " ")) for name in all_time_zones() if name not in common_set],
        ),
    ]
