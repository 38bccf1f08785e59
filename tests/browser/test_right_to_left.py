"""Hebrew and Arabic in a real Chromium, on every page that shows or edits typed text: the
study, its points, the participants, the guide and its hard copy, the interview and its live
screen, the wrap-up, the summary, the matrix, the findings, the review and the follow-ups.

On each page, every piece of text in a right-to-left script sits in an element whose
computed direction is right to left (the text's own element, `dir="auto"`, so that a Hebrew
line with a Latin word keeps its full stop on the left and an English label beside it stays
left to right), and every text box takes the direction of what is typed in it.

Screenshots: test-artifacts/screens/rtl-*.png.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import screenshot, sign_in
from tests.support.live_screen import READY, note_item, saved
from tests.support.rtl import RTL_LETTERS, TEXT, Written, write_round
from tests.support.server import HeardServer
from tests.support.urls import url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TYPED_POINT = "يطلبون جدولة تقارير PDF، كل أسبوع."
TYPED_NOTE = "היא אמרה: Excel, כל יום שני."

# Every text node in a right-to-left script must sit in a right-to-left element, unless the
# text is isolated inside its line by Unicode's own marks (FSI … PDI: an <option> cannot hold
# an element); every box people type text in must say dir="auto" (an empty one has no
# direction yet).
CHECK = """
(letters) => {
  const rtl = new RegExp(`[${letters}]`);
  const isolated = /\u2068[^\u2069]*\u2069/g;
  const wrong = [];
  let seen = 0;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!rtl.test(node.data)) continue;
    if (!rtl.test(node.data.replace(isolated, ""))) { seen += 1; continue; }
    const element = node.parentElement;
    if (element.closest("script, style, template")) continue;
    seen += 1;
    if (getComputedStyle(element).direction !== "rtl") wrong.push(element.outerHTML.slice(0, 240));
  }
  const boxes = document.querySelectorAll(
    "textarea, input:not([type]), input[type=text], input[type=search]"
  );
  for (const box of boxes) {
    if (box.getAttribute("dir") !== "auto") wrong.push(`no dir=auto: ${box.outerHTML.slice(0, 240)}`);
    else if (rtl.test(box.value) && getComputedStyle(box).direction !== "rtl") wrong.push(box.outerHTML.slice(0, 240));
  }
  return { seen, wrong };
}
"""


def pages(story: Written) -> list[tuple[str, str, tuple[str, ...]]]:
    """(name, address, what it must show) for each page to check."""
    ws = story.workspace
    study, held, live = story.study, story.held, story.live
    summary = f"/w/{ws.slug}/interviews/{held.pk}/summary/"
    finding = url("findings:detail", ws, study_pk=study.pk, pk=story.finding.pk)
    mail = url("followups:detail", ws, interview_pk=held.pk, pk=story.mail.pk)
    question = url(
        "guides:question_edit", ws, guide_pk=story.guide.pk, pk=story.question.pk
    ).removesuffix("edit/")
    point = url("studies:point_edit", ws, study_pk=study.pk, pk=story.points[0].pk).removesuffix(
        "edit/"
    )
    return [
        ("home", url("site:workspace", ws), ()),
        ("studies", url("studies:list", ws), ("study", "goal")),
        ("study", url("studies:detail", ws, pk=study.pk), ("study", "point", "confirm", "guide")),
        ("study-edit", url("studies:edit", ws, pk=study.pk), ()),
        (
            "point-edit",
            url("studies:point_edit", ws, study_pk=study.pk, pk=story.points[0].pk),
            (),
        ),
        ("participants", url("participants:list", ws), ("name", "company", "role", "segment")),
        ("participant", url("participants:detail", ws, pk=story.adi.pk), ("name", "size", "body")),
        ("participant-edit", url("participants:edit", ws, pk=story.adi.pk), ()),
        ("guide", url("guides:detail", ws, pk=story.guide.pk), ("guide", "section", "question")),
        ("guide-print", url("guides:print", ws, pk=story.guide.pk) + f"?interview={held.pk}", ()),
        ("interviews", url("interviews:list", ws) + "?view=past", ("name", "study")),
        ("interview", url("interviews:detail", ws, pk=held.pk), ("name", "location", "guest")),
        ("interview-edit", url("interviews:edit", ws, pk=held.pk), ()),
        ("live", url("interviews:live", ws, pk=live.pk), ("name2", "live_note", "queued")),
        ("wrap-up", url("interviews:wrapup", ws, pk=held.pk), ("pain", "quote", "why", "root")),
        ("summary", summary, ("quote", "heard", "surprises", "point")),
        ("summary-print", summary + "print/", ("quote", "heard", "surprises")),
        ("matrix", url("matrix:page", ws, pk=study.pk), ("name", "quote", "heard")),
        ("findings", url("findings:list", ws, study_pk=study.pk), ("finding", "review")),
        ("finding", finding, ("finding", "quote")),
        ("evidence", finding + "evidence/", ("finding", "quote", "heard")),
        (
            "review",
            url("reviews:board", ws, pk=story.review.pk),
            ("review", "finding", "decision_text"),
        ),
        ("present", url("reviews:present", ws, pk=story.review.pk), ("finding", "challenge")),
        ("decisions", url("reviews:decisions", ws, study_pk=study.pk), ("decision_text",)),
        ("mail-templates", url("followups:templates", ws), ("template",)),
        (
            "mail-template-edit",
            url("followups:template_edit", ws, pk=story.template.pk),
            (),
        ),
        ("mail", mail, ("subject",)),
        ("mail-edit", mail + "edit/", ()),
        ("mail-new", url("followups:create", ws, interview_pk=held.pk), ("name",)),
        ("team", url("accounts:team", ws), ()),
        ("interview-cancel", url("interviews:cancel", ws, pk=live.pk), ("name2",)),
        ("guide-copy", url("guides:copy", ws, study_pk=study.pk), ()),
        ("question-edit", question + "edit/", ("question",)),
        ("finding-edit", finding + "edit/", ("finding",)),
        ("round", url("reviews:round", ws, pk=story.review.pk), ()),
        ("point-delete", point + "delete/", ("point",)),
        ("participant-delete", url("participants:delete", ws, pk=story.sara.pk), ("name2",)),
        (
            "search",
            url("search:page", ws) + "?" + urlencode({"q": "דוחות OR " + TEXT["pain"].split()[1]}),
            ("name",),
        ),
    ]


def check(page: Page, letters: str) -> dict[str, Any]:
    return page.evaluate(CHECK, letters)


def test_text_in_hebrew_and_arabic_reads_right_to_left_everywhere(
    person: Page, heard_server: HeardServer
) -> None:
    story = write_round()
    sign_in(person.context, heard_server.url, story.owner)
    wrong: list[str] = []
    for number, (name, address, shows) in enumerate(pages(story), start=1):
        person.goto(heard_server.url + address)
        if name == "live":
            expect(person.locator("#live")).to_have_class(READY)
            expect(person.locator("#note-list")).to_contain_text(TEXT["live_note"])
        for key in shows:
            expect(person.get_by_text(TEXT[key], exact=False).first).to_be_attached()
        found = check(person, RTL_LETTERS)
        assert found["seen"] or not shows, name
        wrong += [f"{name}: {element}" for element in found["wrong"]]
        screenshot(person, f"rtl-{number:02d}-{name}")
    assert wrong == [], "\n".join(wrong)


def direction(page: Page, selector: str) -> str:
    return page.eval_on_selector(selector, "(element) => getComputedStyle(element).direction")


def test_what_people_type_in_hebrew_and_arabic_turns_right_to_left_as_they_type(
    person: Page, heard_server: HeardServer
) -> None:
    story = write_round()
    sign_in(person.context, heard_server.url, story.owner)
    ws = story.workspace

    person.goto(heard_server.url + url("studies:detail", ws, pk=story.study.pk))
    person.get_by_text("Add a validation point").click()
    statement = person.get_by_label("Statement")
    assert direction(person, "#id_statement") == "ltr"  # nothing typed yet
    statement.fill(TYPED_POINT)
    assert direction(person, "#id_statement") == "rtl"
    person.get_by_role("button", name="Add validation point").click()
    added = person.locator("#points p", has_text=TYPED_POINT)
    expect(added).to_have_count(1)
    assert added.evaluate("(element) => getComputedStyle(element).direction") == "rtl"

    person.goto(heard_server.url + url("interviews:live", ws, pk=story.live.pk))
    expect(person.locator("#live")).to_have_class(READY)
    person.locator("#note-input").focus()
    person.keyboard.type(TYPED_NOTE)
    assert direction(person, "#note-input") == "rtl"
    person.keyboard.press("Enter")
    saved(person, TYPED_NOTE)
    note = note_item(person, TYPED_NOTE).locator(".note-text")
    assert note.evaluate("(element) => getComputedStyle(element).direction") == "rtl"
    screenshot(person, "rtl-typed-note")
