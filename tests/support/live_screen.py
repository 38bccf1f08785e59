"""The live companion's screen in a browser: type a note as a person does, find it in the list,
wait until Heard has it."""

from __future__ import annotations

import re
import time

from playwright.sync_api import Locator, Page, expect

# How long a note may take to reach another screen in a browser test. The requirement is "on
# the other screen within a second"; the waits allow for a busy CI machine.
ARRIVES_MS = 3000
READY = re.compile(r"\bis-ready\b")
PENDING = re.compile(r"\bis-pending\b")


def type_note(page: Page, text: str) -> float:
    """Type into the focused box as a person does, press Enter; returns when Enter went."""
    page.keyboard.type(text)
    pressed = time.monotonic()
    page.keyboard.press("Enter")
    return pressed


def note_item(page: Page, text: str) -> Locator:
    return page.locator("#note-list > li").filter(has_text=text)


def saved(page: Page, text: str) -> None:
    """Wait until Heard took the note: its line no longer says it waits. ("All saved" alone
    proves nothing right after Enter: the indicator keeps quiet for a send's first 1.2 s.)"""
    item = note_item(page, text)
    expect(item).to_have_count(1)
    expect(item).not_to_have_class(PENDING, timeout=ARRIVES_MS)


def save_text(page: Page) -> Locator:
    return page.locator("#save-state .save-text")
