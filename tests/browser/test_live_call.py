"""A live interview in real Chromium tabs against the real server (`heard serve`, uvicorn).

The interviewer runs the whole call from the keyboard while a notetaker writes on a second
screen; notes and question states travel between the screens through the event feed. Then
the ways a call goes wrong: the network drops, the tab closes, the server restarts, a note is
far too long, and someone who may only watch.

Every scene leaves a screenshot under test-artifacts/screens/live-*.png.
"""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connections
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, expect

from heard.guides.models import Question
from heard.interviews.live import milestones
from heard.interviews.models import Interview, InterviewStatus, Note, TeamMember, TeamRole
from tests.support import factories
from tests.support.browser import new_context, screenshot, sign_in
from tests.support.live_screen import (
    ARRIVES_MS,
    READY,
    note_item,
    save_text,
    saved,
    type_note,
)
from tests.support.personas import Team
from tests.support.server import HeardServer
from tests.support.urls import live_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The requirement is "on the other screen within a second"; the waits (ARRIVES_MS) allow for a
# busy CI machine, the measured delay must still stay close to the requirement.
MAX_DELAY_S = 1.5
# Chromium logs every request that fails while the network is down or the server restarts.
EXPECTED_CONSOLE = ("Failed to load resource",)

# What the interviewer hears and types (prefixes included), and what the notetaker adds.
PAIN = "Month-end close takes three full days"
QUOTE = "I dread the first week of every month"
KPI = "Hours spent on the board pack each month"
FOLLOW_UP = "Send her the one-pager on automated reports"
REQUEST = "A button that builds the board report"
WHYS = ("The board wants the numbers by the 5th", "Late numbers make the CFO look unprepared")
ROOT_PAIN = "Nobody trusts numbers stitched together from five spreadsheets"
TOM_NOTE = "She keeps the master workbook on her desktop"
TOM_COMPETITION = "Looked at Jirav last year, too expensive"


# Fixtures --------------------------------------------------------------------------------------


class Watcher:
    """Page errors and console errors of every tab a test opens."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def watch(self, page: Page) -> Page:
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))

        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error" and not message.text.startswith(EXPECTED_CONSOLE):
                self.problems.append(f"console error on {page.url}: {message.text}")

        page.on("console", on_console)
        return page


@pytest.fixture
def watcher() -> Iterator[Watcher]:
    watched = Watcher()
    yield watched
    connections.close_all()
    assert watched.problems == []


@pytest.fixture
def other_context(browser: Browser) -> Iterator[BrowserContext]:
    """A second person's browser: cookies and localStorage of its own."""
    ctx = new_context(browser)
    yield ctx
    ctx.close()


@pytest.fixture
def interview(team: Team) -> Interview:
    """A 45-minute interview with a three-question guide, the last question a must-ask; Olivia
    interviews, Tom takes the notes."""
    study = factories.study(team.workspace, title="Reporting pains in finance teams")
    guide = factories.guide(study, questions=3)
    Question.objects.filter(section__guide=guide, position=2).update(priority="must")
    person = factories.participant(
        team.workspace, name="Zoë Ångström", company="Fjordkraft AS", role="CFO"
    )
    interview = factories.interview(study, person, guide=guide, length_minutes=45)
    TeamMember.objects.create(
        interview=interview, user=team.owner, role=TeamRole.INTERVIEWER, seniority=1
    )
    TeamMember.objects.create(
        interview=interview, user=team.teammate, role=TeamRole.NOTETAKER, seniority=2
    )
    return interview


@pytest.fixture
def started(interview: Interview, team: Team) -> Interview:
    """The same interview, its clock already running."""
    milestones.start(interview, team.owner)
    interview.refresh_from_db()
    return interview


# Helpers ---------------------------------------------------------------------------------------


def open_live(
    context: BrowserContext, server: HeardServer, interview: Interview, watcher: Watcher
) -> Page:
    page = watcher.watch(context.new_page())
    page.goto(server.url + live_url("live", interview))
    # Booted: the snapshot is read, the outbox has looked at what this browser kept.
    expect(page.locator("#live")).to_have_class(READY)
    return page


def person_on_the_call(
    context: BrowserContext,
    server: HeardServer,
    interview: Interview,
    watcher: Watcher,
    user: Any,
) -> Page:
    sign_in(context, server.url, user)
    return open_live(context, server, interview, watcher)


def arrives(page: Page, text: str, since: float) -> float:
    """Wait until `text` shows in the notes of `page`; the delay since `since`, in seconds.

    The delay is taken with a wait that looks every 20 ms: expect() looks again after 100,
    250, 500, then 1000 ms, which would round a 0.9 s arrival up to 1.85 s."""
    page.wait_for_function(
        "text => document.getElementById('note-list').textContent.includes(text)",
        arg=text,
        polling=20,
        timeout=ARRIVES_MS,
    )
    delay = time.monotonic() - since
    expect(page.locator("#note-list")).to_contain_text(text, timeout=ARRIVES_MS)
    return delay


def outbox_left(page: Page) -> int:
    """Changes this browser still keeps for the interview (localStorage, shared by its tabs)."""
    return int(
        page.evaluate(
            """() => Object.keys(localStorage)
                .filter((key) => key.startsWith("heard:outbox:"))
                .reduce((sum, key) => sum + JSON.parse(localStorage.getItem(key)).length, 0)"""
        )
    )


def side_by_side(pages: list[Page], context: BrowserContext, name: str) -> None:
    """One screenshot of several screens next to each other."""
    shots = [base64.b64encode(page.screenshot()).decode() for page in pages]
    sheet = context.new_page()
    sheet.set_viewport_size({"width": 1280 * len(pages) + 16 * (len(pages) + 1), "height": 940})
    images = "".join(
        f'<img src="data:image/png;base64,{shot}" style="width:1280px;border:1px solid #999">'
        for shot in shots
    )
    sheet.set_content(
        f'<body style="margin:0;padding:16px;display:flex;gap:16px;background:#ddd">{images}</body>'
    )
    screenshot(sheet, name)
    sheet.close()


def stored_texts(interview: Interview) -> list[str]:
    return sorted(Note.objects.filter(interview=interview).values_list("text", flat=True))


# The whole call --------------------------------------------------------------------------------


def kickoff_by_keyboard(page: Page) -> None:
    kickoff = page.get_by_role("region", name="Kickoff")
    expect(kickoff).to_be_visible()
    expect(page.locator("#consent-result")).to_have_text("Not asked yet.")

    # 1. Permission to record: Enter on "Yes"; the answer replaces the buttons and the focus
    # lands on "Change the answer".
    yes = page.get_by_role("button", name="Yes, we may record")
    yes.focus()
    expect(yes).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#consent-result")).to_contain_text(
        "The customer agreed to be recorded. Asked by Olivia Owner"
    )
    expect(page.locator("#recording-pill")).to_have_text("Recording allowed")
    change = page.get_by_role("button", name="Change the answer")
    expect(change).to_be_focused()

    # 2. Intros: Tab to the timer, Space starts it.
    page.keyboard.press("Tab")
    timer = page.get_by_role("button", name="Start the 2-minute timer")
    expect(timer).to_be_focused()
    page.keyboard.press(" ")
    expect(page.locator("#intro-note")).to_have_text("left for the intros")
    expect(page.locator("#intro-left")).to_have_text(re.compile(r"^1:[5-9]\d$|^2:00$"))
    expect(page.locator("#intros-start")).to_have_text("Restart the timer")
    screenshot(page, "live-01-kickoff")

    # 3. Start: Tab on to the start button, Enter; the clock runs, the kickoff folds away and
    # the note box takes the focus.
    page.keyboard.press("Tab")
    start = page.get_by_role("button", name="Start the interview")
    expect(start).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#live-status")).to_have_text("In progress")
    expect(kickoff).to_be_hidden()
    expect(page.locator("#note-input")).to_be_focused()


def test_a_whole_interview_by_keyboard_with_a_notetaker(
    heard_server: HeardServer,
    context: BrowserContext,
    other_context: BrowserContext,
    watcher: Watcher,
    team: Team,
    interview: Interview,
) -> None:
    olivia = person_on_the_call(context, heard_server, interview, watcher, team.owner)
    tom = person_on_the_call(other_context, heard_server, interview, watcher, team.teammate)
    questions = list(Question.objects.filter(section__guide=interview.guide).order_by("position"))
    q_rows = [f'#question-list li.q[data-id="{question.pk}"]' for question in questions]

    # Tom follows the kickoff: he sees the clock start, with no button of his to press twice.
    kickoff_by_keyboard(olivia)
    expect(tom.locator("#live-status")).to_have_text("In progress")
    expect(tom.locator("#recording-pill")).to_have_text("Recording allowed")
    expect(tom.locator("#start-button")).to_be_hidden()

    # Both are on the call, and each sees the other.
    for page, me, other in (
        (olivia, "Olivia Owner", "Tom Teammate"),
        (tom, "Tom Teammate", "Olivia Owner"),
    ):
        expect(page.locator("#presence")).to_contain_text(f"{me} (you)")
        expect(page.locator("#presence")).to_contain_text(other)
        expect(page.locator(".presence-dot.is-here")).to_have_count(2)

    # Questions: Esc leaves the note box for the first question; j and k move; n, c, s set.
    olivia.keyboard.press("Escape")
    expect(olivia.locator(q_rows[0])).to_be_focused()
    for key, row in (("j", 1), ("k", 0)):
        olivia.keyboard.press(key)
        expect(olivia.locator(q_rows[row])).to_be_focused()
    for key, row, label in (("n", 0, "Answered"), ("c", 1, "Already covered"), ("s", 2, "Skipped")):
        if row:
            olivia.keyboard.press("j")
            expect(olivia.locator(q_rows[row])).to_be_focused()
        olivia.keyboard.press(key)
        expect(olivia.locator(q_rows[row]).locator(".q-state")).to_have_text(label)
        expect(olivia.locator(q_rows[row])).to_have_attribute("aria-current", "true")
        # ... and on Tom's screen.
        expect(tom.locator(q_rows[row]).locator(".q-state")).to_have_text(label, timeout=ARRIVES_MS)

    # Notes: i opens the box; a prefix picks the kind; each reaches Tom's screen within a second.
    olivia.keyboard.press("i")
    expect(olivia.locator("#note-input")).to_be_focused()
    expect(olivia.locator("#composer-link")).to_contain_text("Question 3?")
    delays: dict[str, float] = {}
    for prefix, text, label in (
        ("p", PAIN, "Pain"),
        ("q", QUOTE, "Quote"),
        ("k", KPI, "KPI"),
        ("f", FOLLOW_UP, "Follow-up"),
    ):
        olivia.keyboard.type(f"{prefix}: ")
        expect(olivia.locator("#kind-chip")).to_have_text(label)
        pressed = type_note(olivia, text)
        expect(olivia.locator("#note-input")).to_have_value("")
        expect(olivia.locator("#kind-chip")).to_have_text("Note")
        delays[text] = arrives(tom, text, pressed)
        on_toms_screen = note_item(tom, text)
        expect(on_toms_screen).to_contain_text(label)
        expect(on_toms_screen).to_contain_text("Olivia Owner")
        expect(on_toms_screen).to_contain_text("On “Question 3?”")
        expect(note_item(olivia, text)).to_contain_text("You")

    # A solution request opens the why-ladder: two whys with Enter, the root pain with Ctrl+Enter.
    pressed = type_note(olivia, f"s: {REQUEST}")
    ladder = olivia.get_by_role("region", name="Why do they need that?")
    expect(ladder).to_be_visible()
    expect(olivia.locator("#ladder-input")).to_be_focused()
    expect(olivia.locator("#ladder-request")).to_contain_text(REQUEST)
    delays[REQUEST] = arrives(tom, REQUEST, pressed)
    for number, why in enumerate(WHYS, start=1):
        expect(olivia.locator("#ladder-label")).to_have_text(f"Why? ({number} of 5)")
        pressed = type_note(olivia, why)
        expect(olivia.locator("#ladder-steps > li")).to_have_count(number)
        expect(olivia.locator("#ladder-input")).to_have_value("")
        delays[why] = arrives(tom, why, pressed)
    expect(olivia.locator("#ladder-steps")).to_contain_text(WHYS[0])
    expect(olivia.locator("#ladder-steps")).to_contain_text(WHYS[1])
    olivia.keyboard.type(ROOT_PAIN)
    screenshot(olivia, "live-03-why-ladder")
    pressed = time.monotonic()
    olivia.keyboard.press("Control+Enter")
    expect(ladder).to_be_hidden()
    expect(olivia.locator("#note-input")).to_be_focused()
    delays[ROOT_PAIN] = arrives(tom, ROOT_PAIN, pressed)
    # On both screens the ladder hangs under its request: two whys, then the root pain.
    for page in (olivia, tom):
        steps = note_item(page, REQUEST).locator(".note-ladder > li")
        expect(steps).to_have_count(3)
        expect(steps.nth(0)).to_contain_text(WHYS[0])
        expect(steps.nth(1)).to_contain_text(WHYS[1])
        expect(steps.nth(2)).to_contain_text("Root pain")
        expect(steps.nth(2)).to_contain_text(ROOT_PAIN)

    # Tom writes too (i, type, Enter); his notes reach Olivia's screen just as fast.
    tom.keyboard.press("i")
    expect(tom.locator("#note-input")).to_be_focused()
    for text, label in ((TOM_NOTE, "Note"), (f"c: {TOM_COMPETITION}", "Competition")):
        pressed = type_note(tom, text)
        shown = text.removeprefix("c: ")
        delays[shown] = arrives(olivia, shown, pressed)
        expect(note_item(olivia, shown)).to_contain_text("Tom Teammate")
        expect(note_item(olivia, shown)).to_contain_text(label)
    slow = {text: round(delay, 2) for text, delay in delays.items() if delay >= MAX_DELAY_S}
    assert slow == {}, f"notes took too long to reach the other screen: {slow}"

    for page in (olivia, tom):
        expect(save_text(page)).to_have_text("All saved")
        expect(page.locator("#notes-count")).to_have_text("10 so far")
    side_by_side([olivia, tom], context, "live-02-live-two-screens")

    # The end, by keyboard: tick the promise with Space, Tab to the button, Enter.
    end_button = olivia.get_by_role("button", name="End the interview")
    end_button.focus()
    expect(end_button).to_be_focused()
    olivia.keyboard.press("Enter")
    dialog = olivia.get_by_role("dialog", name="End the interview?")
    expect(dialog).to_be_visible()
    promise = dialog.get_by_role("checkbox", name=re.compile("promised to follow up"))
    expect(promise).to_be_focused()
    expect(promise).not_to_be_checked()
    olivia.keyboard.press(" ")
    expect(promise).to_be_checked()
    olivia.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="End and open the wrap-up")).to_be_focused()
    olivia.keyboard.press("Enter")

    # The wrap-up.
    expect(olivia).to_have_url(re.compile(r"/wrap-up/$"))
    expect(olivia.get_by_role("heading", name="Wrap-up: Zoë Ångström", level=1)).to_be_visible()
    coverage = olivia.get_by_role("region", name="Coverage")
    # answered, already covered, asked without an answer, skipped, not reached
    expect(coverage.locator(".stat strong")).to_have_text(["1", "1", "0", "1", "0"])
    expect(coverage.locator(".wrapup-missed > li")).to_have_text(["Question 3?"])
    time_card = olivia.get_by_role("region", name="Time")
    expect(time_card).to_contain_text(re.compile(r"\b[01] min used of 45 planned"))
    expect(time_card).to_contain_text("Allowed, asked by Olivia Owner")
    expect(time_card).to_contain_text("We promised to follow up")
    follow_ups = olivia.get_by_role("region", name="Open follow-ups")
    expect(follow_ups.locator(".tab-count")).to_have_text("1")
    expect(follow_ups.locator("li")).to_have_count(1)
    expect(follow_ups).to_contain_text(FOLLOW_UP)
    by_kind = olivia.get_by_role("region", name="Notes by kind")
    expected_kinds = {
        "Note": [TOM_NOTE],
        "Pain": [PAIN, ROOT_PAIN],
        "Solution request": [REQUEST],
        "Quote": [QUOTE],
        "KPI": [KPI],
        "Competition": [TOM_COMPETITION],
        "Follow-up": [FOLLOW_UP],
        "Why?": list(WHYS),
    }
    expect(by_kind.locator("section.wrapup-kind h3")).to_have_text(
        [
            re.compile(rf"^{re.escape(label)}\s+{len(texts)}$")
            for label, texts in expected_kinds.items()
        ]
    )
    for label, texts in expected_kinds.items():
        group = by_kind.get_by_role("region", name=label, exact=True)
        expect(group.locator("li")).to_have_count(len(texts))
        for text in texts:
            expect(group).to_contain_text(text)
    screenshot(olivia, "live-04-wrapup")

    # Tom's screen learns that the call is over.
    expect(tom.locator("#done-banner")).to_be_visible(timeout=ARRIVES_MS)
    expect(tom.locator("#live-status")).to_have_text("Done")

    # What Heard stored: each note once, with its kind and author; the ladder on its request.
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.DONE
    assert interview.promised_follow_up is True
    assert interview.recording_consent == "yes"
    assert interview.intros_started_at is not None
    assert interview.started_at is not None
    assert interview.ended_at is not None
    assert interview.intros_started_at <= interview.started_at <= interview.ended_at
    states = dict(interview.question_states.values_list("question__text", "status"))
    assert states == {"Question 1?": "answered", "Question 2?": "covered", "Question 3?": "skipped"}
    notes = list(Note.objects.filter(interview=interview))
    stored = sorted((n.text, n.kind, n.author_id, n.deleted_at is None) for n in notes)
    olivia_notes = [
        (PAIN, "pain"),
        (QUOTE, "quote"),
        (KPI, "kpi"),
        (FOLLOW_UP, "follow_up"),
        (REQUEST, "solution_request"),
        (WHYS[0], "why"),
        (WHYS[1], "why"),
        (ROOT_PAIN, "pain"),
    ]
    tom_notes = [(TOM_NOTE, "note"), (TOM_COMPETITION, "competition")]
    assert stored == sorted(
        [(text, kind, team.owner.pk, True) for text, kind in olivia_notes]
        + [(text, kind, team.teammate.pk, True) for text, kind in tom_notes]
    )
    request = next(note for note in notes if note.kind == "solution_request")
    assert sorted(request.ladder.values_list("kind", "text")) == sorted(
        [("why", WHYS[0]), ("why", WHYS[1]), ("pain", ROOT_PAIN)]
    )
    assert [n.text for n in notes if n.ladder_of_id and n.ladder_of_id != request.pk] == []
    question_3 = questions[2]
    assert {n.question_id for n in notes if n.author_id == team.owner.pk} == {question_3.pk}
    for page in (olivia, tom):
        assert outbox_left(page) == 0


# When things go wrong --------------------------------------------------------------------------


def test_offline_notes_arrive_once(
    heard_server: HeardServer,
    context: BrowserContext,
    watcher: Watcher,
    team: Team,
    started: Interview,
) -> None:
    page = person_on_the_call(context, heard_server, started, watcher, team.owner)
    expect(save_text(page)).to_have_text("All saved")
    texts = [f"Offline note {n}: the VPN dropped again" for n in range(1, 6)]

    context.set_offline(True)
    page.keyboard.press("i")
    expect(page.locator("#note-input")).to_be_focused()
    for number, text in enumerate(texts, start=1):
        type_note(page, text)
        expect(note_item(page, text)).to_contain_text("Waiting to save…")
        expect(save_text(page)).to_have_text(
            f"Offline: {number} note{'s' if number > 1 else ''} kept here, waiting to save…"
        )
    expect(page.locator("#save-state")).to_have_attribute("data-tone", "warn")
    expect(page.locator("#note-list > li.is-pending")).to_have_count(5)
    assert outbox_left(page) == 5
    screenshot(page, "live-05-offline")
    assert stored_texts(started) == []

    context.set_offline(False)
    expect(save_text(page)).to_have_text("All saved", timeout=15_000)
    expect(page.locator("#save-state")).to_have_attribute("data-tone", "ok")
    expect(page.locator("#note-list > li.is-pending")).to_have_count(0)
    expect(page.locator("#note-list > li")).to_have_count(5)
    assert outbox_left(page) == 0
    assert stored_texts(started) == sorted(texts)
    assert {note.author_id for note in Note.objects.filter(interview=started)} == {team.owner.pk}


def test_a_closed_and_reopened_tab_loses_nothing(
    heard_server: HeardServer,
    context: BrowserContext,
    watcher: Watcher,
    team: Team,
    started: Interview,
) -> None:
    page = person_on_the_call(context, heard_server, started, watcher, team.owner)
    texts = ["Typed before the tab closed", "And a second one, also offline"]
    context.set_offline(True)
    page.keyboard.press("i")
    for text in texts:
        type_note(page, text)
    expect(save_text(page)).to_have_text("Offline: 2 notes kept here, waiting to save…")
    page.close()
    assert stored_texts(started) == []

    context.set_offline(False)
    again = open_live(context, heard_server, started, watcher)
    expect(save_text(again)).to_have_text("All saved", timeout=15_000)
    expect(again.locator("#note-list > li")).to_have_count(2)
    for text in texts:
        expect(note_item(again, text)).not_to_contain_text("Waiting to save")
    assert outbox_left(again) == 0
    assert stored_texts(started) == sorted(texts)


def test_a_server_restart_mid_interview(
    heard_server: HeardServer,
    context: BrowserContext,
    other_context: BrowserContext,
    watcher: Watcher,
    team: Team,
    started: Interview,
) -> None:
    page = person_on_the_call(context, heard_server, started, watcher, team.owner)
    before = ["Saved before the restart, one", "Saved before the restart, two"]
    during = [f"Typed while Heard restarts, {n}" for n in ("one", "two", "three")]
    page.keyboard.press("i")
    for text in before:
        type_note(page, text)
    for text in before:
        saved(page, text)
    expect(save_text(page)).to_have_text("All saved")
    assert stored_texts(started) == sorted(before)

    heard_server.stop()
    for text in during:
        type_note(page, text)
    expect(save_text(page)).to_contain_text("3 notes kept here, waiting to save…", timeout=10_000)
    heard_server.start()  # the same port
    # The outbox tries again after 1, 2, 4 … 30 s, sooner when the event feed gets through.
    expect(save_text(page)).to_have_text("All saved", timeout=45_000)
    # ... and the page says no more that it is offline: it follows the call again.
    expect(page.locator("#connection")).to_be_hidden()
    expect(page.locator("#connection")).to_have_attribute("data-status", "connected")
    assert outbox_left(page) == 0
    assert stored_texts(started) == sorted(before + during)
    for text in before + during:
        expect(note_item(page, text)).to_have_count(1)
        expect(note_item(page, text)).not_to_contain_text("Waiting to save")

    # The page still follows the call: Tom's note, written after the restart, shows up.
    tom = person_on_the_call(other_context, heard_server, started, watcher, team.teammate)
    tom.keyboard.press("i")
    text = "Tom's note, after the restart"
    pressed = type_note(tom, text)
    delay = arrives(page, text, pressed)
    expect(note_item(page, text)).to_contain_text("Tom Teammate")
    assert delay < MAX_DELAY_S, f"Tom's note took {delay:.2f} s to reach Olivia's screen"
    assert len(stored_texts(started)) == 6


def test_a_note_that_is_too_long_stays_in_the_box(
    heard_server: HeardServer,
    context: BrowserContext,
    watcher: Watcher,
    team: Team,
    started: Interview,
) -> None:
    page = person_on_the_call(context, heard_server, started, watcher, team.owner)
    sent: list[str] = []
    page.on(
        "request", lambda request: sent.append(request.url) if "/notes/" in request.url else None
    )
    page.keyboard.press("i")
    box = page.locator("#note-input")
    expect(box).to_be_focused()
    pasted = "x" * 10_001
    page.keyboard.insert_text(pasted)  # as a paste: one input event
    expect(page.locator("#composer-count")).to_have_text("10,001 / 10,000 characters")
    page.keyboard.press("Enter")

    error = page.get_by_role("alert").filter(has_text="characters long")
    expect(error).to_be_visible()
    expect(error).to_have_text(
        "This note is 10,001 characters long, 1 over the limit of 10,000. "
        "Nothing was sent: shorten it, or split it in two."
    )
    expect(box).to_have_attribute("aria-invalid", "true")
    expect(box).to_be_focused()
    assert box.input_value() == pasted
    expect(page.locator("#note-list > li")).to_have_count(0)
    expect(save_text(page)).to_have_text("All saved")
    assert outbox_left(page) == 0
    assert sent == []
    assert stored_texts(started) == []

    # One character less and it goes.
    page.keyboard.press("Backspace")
    expect(error).to_be_hidden()
    page.keyboard.press("Enter")
    expect(box).to_have_value("")
    expect(box).not_to_have_attribute("aria-invalid", "true")
    saved(page, "x" * 10_000)
    expect(page.locator("#note-list > li")).to_have_count(1)
    expect(save_text(page)).to_have_text("All saved")
    assert Note.objects.get(interview=started).text == "x" * 10_000


def test_observers_follow_but_cannot_write(
    heard_server: HeardServer,
    context: BrowserContext,
    other_context: BrowserContext,
    watcher: Watcher,
    team: Team,
    started: Interview,
) -> None:
    oscar = person_on_the_call(context, heard_server, started, watcher, team.observer)
    expect(oscar.locator(".live-readonly")).to_contain_text("You are following this interview")
    for absent in (
        "#note-input",
        "#composer",
        "#save-state",
        "#end-open",
        "#start-button",
        ".q-set",
    ):
        expect(oscar.locator(absent)).to_have_count(0)
    # The keys that write do nothing here, and break nothing.
    oscar.keyboard.press("j")
    oscar.keyboard.press("n")
    oscar.keyboard.press("i")
    expect(oscar.locator("#question-list li.q").first).to_have_attribute("data-status", "open")

    olivia = person_on_the_call(other_context, heard_server, started, watcher, team.owner)
    olivia.keyboard.press("i")
    text = "Oscar only reads this"
    pressed = type_note(olivia, f"p: {text}")
    delay = arrives(oscar, text, pressed)
    assert delay < MAX_DELAY_S
    item = note_item(oscar, text)
    expect(item).to_contain_text("Pain")
    expect(item).to_contain_text("Olivia Owner")
    expect(item.get_by_role("button", name=re.compile("^(Edit|Delete)"))).to_have_count(0)
    expect(oscar.locator("#presence")).to_contain_text("Oscar Observer (you)")
    assert Note.objects.filter(interview=started, author=team.observer).count() == 0
    assert outbox_left(oscar) == 0
