"""The live companion's browser modules, driven in a real Chromium without a Heard server.

The page is served from a made-up origin by Playwright itself, so these tests reach the very
files the live page loads (static/heard/js/live/*.js): the time budget's arithmetic, the note
prefixes, and the outbox that keeps every note until the server has taken it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, Route

import heard
from heard.interviews.live.state import screen_enums

pytestmark = pytest.mark.browser

STATIC = Path(heard.__file__).resolve().parent / "static"
ORIGIN = "http://heard.test"
LIVE = "/static/heard/js/live/"

# A fake server and fake timers for the outbox: every send is recorded, answered from a script
# of answers, and pauses run only when the test says so.
DRIVER = """
async () => {
  const { Outbox } = await import("LIVE/outbox.js");
  const drive = {
    sent: [],
    answers: [],
    timers: [],
    make(key) {
      return new Outbox({
        key,
        send: async (op) => {
          drive.sent.push({ url: op.url, body: op.body, storedFirst: localStorage.getItem(key) !== null });
          return drive.answers.shift() || { status: 0, data: null };
        },
        setTimer: (fn, ms) => { drive.timers.push({ fn, ms }); return drive.timers.length; },
        clearTimer: () => {},
      });
    },
    async settle() { for (let i = 0; i < 5; i += 1) await new Promise((r) => setTimeout(r, 0)); },
    async tick() { const timer = drive.timers.shift(); if (timer) timer.fn(); await drive.settle(); },
  };
  window.drive = drive;
}
""".replace("LIVE/", LIVE)


@pytest.fixture
def harness(page: Page) -> Iterator[Page]:
    """A blank page whose origin serves Heard's static files, and nothing else."""

    def serve(route: Route) -> None:
        path = urlparse(route.request.url).path
        if path == "/":
            route.fulfill(body="<!doctype html><title>harness</title>", content_type="text/html")
            return
        file = (STATIC / path.removeprefix("/static/")).resolve()
        if not path.startswith("/static/") or STATIC not in file.parents or not file.is_file():
            route.fulfill(status=404, body="not found")
            return
        route.fulfill(path=str(file), content_type="text/javascript")

    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.route(f"{ORIGIN}/**", serve)
    page.goto(f"{ORIGIN}/")
    # What the live page's main.js does first: hand the modules the server's enums.
    page.evaluate(
        f'async (config) => (await import("{LIVE}enums.js")).useEnums(config)', screen_enums()
    )
    page.evaluate(DRIVER)
    yield page
    assert errors == []


def run(page: Page, body: str, arg: Any = None) -> Any:
    """Evaluate `body` (an async function body) with the live modules imported as `m`."""
    script = f"""async (arg) => {{
      const m = {{
        budget: await import("{LIVE}budget.js"),
        compose: await import("{LIVE}compose.js"),
        merge: await import("{LIVE}merge.js"),
      }};
      {body}
    }}"""
    return page.evaluate(script, arg)


# The time budget ---------------------------------------------------------------------------------

INTERVIEW = {
    "started_at": "2026-03-02T10:00:00+00:00",
    "ended_at": None,
    "length_s": 45 * 60,
    "team_reserve_s": 10 * 60,
    "customer_reserve_s": 5 * 60,
    "intros_started_at": "2026-03-02T09:58:30+00:00",
}


def test_elapsed_time_follows_the_server_clock_whatever_the_laptop_clock_says(
    harness: Page,
) -> None:
    elapsed = run(
        harness,
        """
        const serverNow = Date.parse("2026-03-02T10:12:30Z");
        // The same moment read on a laptop whose clock is right, an hour fast, 7 minutes slow:
        return [0, 3600e3, -420e3].map((skew) => {
          const laptop = serverNow + skew;
          const offset = m.budget.clockOffset("2026-03-02T10:12:30Z", laptop);
          return m.budget.elapsedSeconds(arg, laptop + offset);
        });
        """,
        INTERVIEW,
    )
    assert elapsed == [750, 750, 750]


def test_the_plan_splits_conversation_and_reserves_and_says_where_the_call_is(
    harness: Page,
) -> None:
    result = run(
        harness,
        """
        const plan = m.budget.plan(arg);
        const at = (minutes) => m.budget.position(plan, minutes * 60);
        return {
          plan,
          parts: [0, 29.9, 30, 39.9, 40, 45, 47].map((minutes) => at(minutes).part),
          leftAt20: at(20).left,
          overAt47: at(47).overBy,
          low: [21, 23, 31].map((minutes) => m.budget.timeIsLow(plan, minutes * 60)),
          entered: [
            m.budget.partEntered("conversation", "team"),
            m.budget.partEntered("team", "team"),
            m.budget.partEntered(null, "customer"),
          ],
          intros: m.budget.introsLeft(arg, Date.parse("2026-03-02T10:00:00Z")),
          clocks: [65, 3725, -5].map(m.budget.clock),
        };
        """,
        INTERVIEW,
    )
    assert result["plan"] == {"total": 2700, "conversation": 1800, "team": 600, "customer": 300}
    assert result["parts"] == [
        "conversation",
        "conversation",
        "team",
        "team",
        "customer",
        "over",
        "over",
    ]
    assert result["leftAt20"] == 600
    assert result["overAt47"] == 120
    # Low once under a quarter of the 30 conversation minutes is left (after 22:30), and in reserves.
    assert result["low"] == [False, True, True]
    assert result["entered"] == ["team", None, None]
    assert result["intros"] == 30
    assert result["clocks"] == ["1:05", "1:02:05", "\N{MINUS SIGN}0:05"]


def test_a_prefix_picks_the_kind_and_an_over_long_note_is_refused_before_sending(
    harness: Page,
) -> None:
    result = run(
        harness,
        """
        return {
          parsed: ["p: it hurts", "S:  export to PDF", "q:", "x: not a kind", "p:no space", "plain"]
            .map((raw) => m.compose.parseNote(raw, "note")),
          chosen: m.compose.parseNote("they churned", "competition").kind,
          empty: m.compose.problemWith("   "),
          limit: m.compose.problemWith("é".repeat(10000)),
          over: m.compose.problemWith("a".repeat(10001)),
          emoji: m.compose.noteLength("👍🏽ok"),
        };
        """,
    )
    kinds = [(entry["kind"], entry["text"]) for entry in result["parsed"]]
    assert kinds == [
        ("pain", "it hurts"),
        ("solution_request", "export to PDF"),
        ("quote", ""),
        ("note", "x: not a kind"),
        ("note", "p:no space"),
        ("note", "plain"),
    ]
    assert result["chosen"] == "competition"
    assert result["empty"] == "empty"
    assert result["limit"] is None
    assert "10,001 characters" in result["over"]
    assert "Nothing was sent" in result["over"]
    assert result["emoji"] == 4


# The outbox --------------------------------------------------------------------------------------


def test_it_keeps_notes_offline_and_sends_them_in_order_once_heard_answers(harness: Page) -> None:
    result = harness.evaluate(
        """async () => {
          const box = drive.make("heard:outbox:1:1");
          drive.answers = [{ status: 0 }];
          box.add({ type: "note", target: "a", url: "/notes/", body: { id: "a", text: "first" } });
          await drive.settle();
          const offline = { status: box.status, pause: drive.timers[0].ms, waiting: box.pending().length };
          // Typed while offline: an edit of the first note (merged) and a second note.
          box.add({ type: "note", target: "a", url: "/notes/", body: { id: "a", text: "first, edited" } });
          box.add({ type: "note", target: "b", url: "/notes/", body: { id: "b", text: "second" } });
          drive.answers = [{ status: 503 }];
          await drive.tick();
          const secondPause = drive.timers[0].ms;
          drive.answers = [{ status: 200, data: { note: {} } }, { status: 200, data: { note: {} } }];
          await drive.tick();
          return {
            offline, secondPause, status: box.status,
            sent: drive.sent.map((s) => [s.body.id, s.body.text, s.storedFirst]),
            left: localStorage.getItem("heard:outbox:1:1"),
          };
        }"""
    )
    assert result["offline"] == {"status": "retrying", "pause": 1000, "waiting": 1}
    assert result["secondPause"] == 2000
    assert result["sent"] == [
        ["a", "first", True],
        ["a", "first, edited", True],
        ["a", "first, edited", True],
        ["b", "second", True],
    ]
    assert result["status"] == "idle"
    assert result["left"] is None


def test_a_refused_note_stays_with_the_servers_reason_and_holds_later_changes_to_it(
    harness: Page,
) -> None:
    result = harness.evaluate(
        """async () => {
          const box = drive.make("heard:outbox:2:1");
          drive.answers = [{ status: 400, data: { error: "A note holds at most 10,000 characters." } }];
          box.add({ type: "note", target: "a", url: "/notes/", body: { id: "a", text: "long" } });
          await drive.settle();
          drive.answers = [{ status: 200, data: {} }];
          box.add({ type: "delete", target: "a", url: "/notes/a/delete/", body: {} });
          box.add({ type: "note", target: "b", url: "/notes/", body: { id: "b", text: "other" } });
          await drive.settle();
          const before = {
            failed: box.failed().map((op) => [op.target, op.error.status, op.error.message]),
            pending: box.pending().map((op) => [op.type, op.target]),
            sent: drive.sent.map((s) => s.url),
          };
          drive.answers = [{ status: 200, data: {} }, { status: 200, data: {} }];
          box.retry(box.failed()[0].opId, { id: "a", text: "short now" });
          await drive.settle();
          return { before, after: box.all().length, sent: drive.sent.map((s) => [s.url, s.body.text]) };
        }"""
    )
    assert result["before"]["failed"] == [["a", 400, "A note holds at most 10,000 characters."]]
    # The delete of the refused note waits behind it; the other note went through.
    assert result["before"]["pending"] == [["delete", "a"]]
    assert result["before"]["sent"] == ["/notes/", "/notes/"]
    assert result["after"] == 0
    assert result["sent"][-2:] == [["/notes/", "short now"], ["/notes/a/delete/", None]]


def test_a_reopened_page_sends_what_the_closed_one_left(harness: Page) -> None:
    result = harness.evaluate(
        """async () => {
          const first = drive.make("heard:outbox:3:1");
          drive.answers = [{ status: 0 }];
          first.add({ type: "note", target: "a", url: "/notes/", body: { id: "a", text: "kept" } });
          first.add({ type: "question", target: "7", url: "/questions/7/", body: { status: "covered" } });
          await drive.settle();
          // The tab closes; another opens the same interview.
          drive.timers = [];
          drive.answers = [{ status: 200, data: {} }, { status: 200, data: {} }];
          const second = drive.make("heard:outbox:3:1");
          const found = second.all().map((op) => op.target);
          second.flush(true);
          await drive.settle();
          return { found, sent: drive.sent.slice(1).map((s) => s.url), left: second.all().length };
        }"""
    )
    assert result["found"] == ["a", "7"]
    assert result["sent"] == ["/notes/", "/questions/7/"]
    assert result["left"] == 0


def test_unsent_changes_show_over_the_servers_copy(harness: Page) -> None:
    result = run(
        harness,
        """
        const server = new Map([["a", { id: "a", kind: "note", text: "old", elapsed_seconds: 5,
          author: { id: 1, name: "Dana" }, deleted: false, created_at: "2026-03-02T10:00:05Z" }]]);
        const ops = [
          { opId: "1", type: "note", target: "a", body: { id: "a", kind: "pain", text: "new",
            elapsed_seconds: 5, question: null, ladder_of: null }, queuedAt: 0 },
          { opId: "2", type: "note", target: "b", body: { id: "b", kind: "quote", text: "said",
            elapsed_seconds: 9, question: 3, ladder_of: null }, queuedAt: 0,
            error: { status: 400, message: "No." } },
          { opId: "3", type: "question", target: "3", body: { status: "answered" }, queuedAt: 0 },
        ];
        const view = m.merge.displayNotes(server, ops, { id: 1, name: "Dana" });
        const order = m.merge.newestFirst([...view.values()]).map((note) => note.id);
        const states = m.merge.displayStates(new Map([["3", "asked"]]), ops);
        return { a: view.get("a"), b: view.get("b"), order, state: states.get("3") };
        """,
    )
    assert (result["a"]["text"], result["a"]["kind_label"], result["a"]["pending"]) == (
        "new",
        "Pain",
        True,
    )
    assert result["b"]["error"] == {"status": 400, "message": "No."}
    assert result["b"]["opId"] == "2"
    assert result["order"] == ["b", "a"]
    assert result["state"] == "answered"
