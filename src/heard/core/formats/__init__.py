"""Heard's date and time formats (Django's FORMAT_MODULE_PATH): one clock, 24-hour, everywhere.

Heard has no per-person locale. Templates name their formats (`date:"j M Y, H:i"`); these are
what a date or time shown without one looks like, so that no page falls back to Django's
English "2:30 p.m."."""
