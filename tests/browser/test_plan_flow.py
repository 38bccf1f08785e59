"""The whole plan flow, as a person does it in a real Chromium, keyboard first where it can be.

First run → a study with its validation points → participants imported from a CSV file → a
guide from the built-in template, reordered by keyboard → an interview with its team → the
calendar invitation → the prep checklist → the one-page hard copy of the guide.

Every step leaves a screenshot under test-artifacts/screens/plan-*.png for people to look at.
"""

from __future__ import annotations

import csv
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from playwright.sync_api import Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from heard.accounts.models import Membership, Role, User, Workspace
from heard.guides.models import Guide, Section
from heard.interviews.models import Interview, TeamRole
from heard.participants.models import Participant
from heard.studies.models import Study
from tests.support.browser import ARTIFACTS, pick_participant, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSPHRASE = "a long and unusual passphrase"
WORKSPACE = "Nordlicht Research"
STUDY = "Reporting pains in finance teams"
GOAL = (
    "Learn how mid-market finance teams produce their monthly reports today, "
    "and which part of it hurts enough that they would pay to have it go away."
)
DECISION = "Whether report automation goes on next quarter's roadmap."
POINTS = (
    ("Finance teams spend more than a day a month assembling reports", "hypothesis", "1"),
    ("How do they measure the efficiency of their reporting?", "question", "2"),
)
# The participant we interview: a name beyond ASCII, as people's names are.
GUEST_OF_HONOUR = "Zoë Ångström-Nuñez"
HTML_COMPANY = '<b>Bold</b> & "Sons" <script>alert(1)</script>'
CSV_ROWS = (
    ("Name", "Email", "Company", "Job title", "Segment", "Team size"),
    (GUEST_OF_HONOUR, "zoe@fjord.example", "Fjordkraft Økonomi AS", "CFO", "Mid-market", "12"),
    ("Nickole Smith", "nickole@client.example", "Client Co", "Controller", "Mid-market", "8"),
    ("Marcus Webb", "marcus@bold.example", HTML_COMPANY, "Head of FP&A", "Enterprise", "40"),
    ("Priya Raman", "", "Raman Consulting", "Founder", "Small business", "1"),
)
TIME_ZONE = "Europe/Berlin"
GUEST = "Dana Guest"


def press(control: Locator, key: str) -> None:
    """Use a control as a keyboard user does: give it focus, then press a key."""
    control.focus()
    expect(control).to_be_focused()
    control.press(key)


def first_run(page: Page, base: str) -> Workspace:
    page.goto(base + "/")
    expect(page).to_have_url(re.compile(r"/setup/$"))
    expect(page.get_by_role("heading", name="Welcome to Heard")).to_be_visible()
    page.get_by_label("Name", exact=True).fill("Rita Researcher")
    page.get_by_label("Email", exact=True).fill("rita@nordlicht.example")
    page.get_by_label("Password", exact=True).fill(PASSPHRASE)
    page.get_by_label("Password, again").fill(PASSPHRASE)
    page.get_by_label("Workspace name").fill(WORKSPACE)
    screenshot(page, "plan-01-setup")
    page.get_by_role("button", name="Create account and workspace").click()

    expect(page.get_by_role("heading", name=WORKSPACE, level=1)).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Studies")
    expect(page.get_by_text("No study yet.")).to_be_visible()
    screenshot(page, "plan-02-workspace-home")
    owner = User.objects.get()
    assert owner.name == "Rita Researcher"
    workspace = Workspace.objects.get()
    assert workspace.name == WORKSPACE
    assert Membership.objects.get(user=owner, workspace=workspace).role == Role.OWNER
    return workspace


def create_study(page: Page) -> Study:
    page.get_by_role("link", name="New study").click()
    expect(page.get_by_role("heading", name="New study")).to_be_visible()
    page.get_by_label("Title").fill(STUDY)
    page.get_by_label("Goal").fill(GOAL)
    page.get_by_label("Decision it informs").fill(DECISION)
    screenshot(page, "plan-03-new-study")
    page.get_by_role("button", name="Create study").click()
    expect(page.get_by_role("heading", name=STUDY, level=1)).to_be_visible()
    expect(page.get_by_role("region", name="Goal")).to_contain_text(GOAL)

    points = page.get_by_role("region", name="Validation points")
    for number, (statement, kind, priority) in enumerate(POINTS, start=1):
        adder = points.locator("details.add-form")
        if number > 1:
            # Closed once the study has a point: open it from the keyboard.
            expect(adder).not_to_have_attribute("open", "")
            press(adder.locator("summary"), "Enter")
        expect(adder).to_have_attribute("open", "")
        adder.get_by_label("Statement").fill(statement)
        adder.get_by_label("Kind").select_option(kind)
        adder.get_by_label("Priority").select_option(priority)
        if kind == "hypothesis":
            adder.get_by_label("What would confirm it").fill("Most say it takes two days or more.")
            adder.get_by_label("What would refute it").fill("Reports are a button press for most.")
            screenshot(page, "plan-04-study-first-point")
        adder.get_by_role("button", name="Add validation point").click()
        expect(page.get_by_role("status")).to_contain_text("Validation point added.")
        expect(points.locator("ol#points > li")).to_have_count(number)
    expect(points.locator("ol#points")).to_contain_text("VP1")
    expect(points.locator("ol#points")).to_contain_text("VP2")
    expect(points).to_contain_text("2 in all")
    expect(points).to_contain_text("Confirmed if")
    screenshot(page, "plan-05-study-with-points")

    study = Study.objects.get()
    assert (study.title, study.goal, study.decision) == (STUDY, GOAL, DECISION)
    assert [(p.statement, p.kind, str(p.priority)) for p in study.points.all()] == list(POINTS)
    return study


def write_csv(tmp_path: Path) -> Path:
    path = tmp_path / "crm-export.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(CSV_ROWS)
    return path


def import_participants(page: Page, csv_file: Path) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Participants").click()
    expect(page.get_by_role("heading", name="No participant yet")).to_be_visible()
    page.get_by_role("link", name="Import a list from CSV").click()
    expect(page.get_by_role("heading", name="Import participants from a CSV file")).to_be_visible()
    expect(page.locator(".import-steps [aria-current=step]")).to_contain_text("Upload the file")
    page.get_by_label("CSV file").set_input_files(csv_file)
    screenshot(page, "plan-06-import-upload")
    page.get_by_role("button", name="Upload and choose columns").click()

    expect(page.get_by_role("heading", name="Choose what each column holds")).to_be_visible()
    expect(page.locator(".page-head")).to_contain_text("4 rows of participants, 6 columns")
    mapping = page.locator("#mapping-form")
    # Heard guesses the usual headers, including "Job title" for the role.
    for header, field in (
        ("Name", "name"),
        ("Email", "email"),
        ("Company", "company"),
        ("Job title", "role"),
        ("Segment", "segment"),
    ):
        expect(mapping.get_by_label(header, exact=True)).to_have_value(field)
    # Nobody guesses "Team size": keep it as a new profile field.
    team_size = mapping.get_by_label("Team size", exact=True)
    expect(team_size.locator("option:checked")).to_have_text("Don't import")
    team_size.select_option(label="New profile field “Team size”")
    # The file's HTML is shown as text in the examples, never run.
    expect(mapping).to_contain_text("<b>Bold</b>")
    assert mapping.locator("b").count() == 0
    screenshot(page, "plan-07-import-columns")
    page.get_by_role("button", name="Preview the import").click()

    expect(page.get_by_role("heading", name="Check, then import")).to_be_visible()
    stats = page.locator(".import-stats")
    expect(stats.locator(".stat").first).to_contain_text("4")
    expect(stats.locator(".stat").first).to_contain_text("new participants")
    expect(stats.locator(".stat").last).to_contain_text("0")
    expect(page.locator(".import-notes")).to_contain_text("New profile field: team_size")
    preview = page.locator("table.import-preview")
    expect(preview.locator("tbody tr")).to_have_count(4)
    expect(preview).to_contain_text(GUEST_OF_HONOUR)
    expect(preview).to_contain_text(HTML_COMPANY)
    assert preview.locator("b, script").count() == 0
    screenshot(page, "plan-08-import-preview")
    assert Participant.objects.count() == 0  # nothing saved before the person says so
    page.get_by_role("button", name="Import 4 new participants").click()

    expect(page.get_by_role("heading", name="Participants", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Imported 4 new participants.")
    table = page.locator("table.participants-table")
    expect(table.locator("tbody tr")).to_have_count(4)
    for name, *_ in CSV_ROWS[1:]:
        expect(table.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(table).to_contain_text(HTML_COMPANY)
    assert table.locator("tbody b, tbody script").count() == 0
    screenshot(page, "plan-09-participants")

    zoe = Participant.objects.get(name=GUEST_OF_HONOUR)
    assert (zoe.email, zoe.company, zoe.role, zoe.segment) == (
        "zoe@fjord.example",
        "Fjordkraft Økonomi AS",
        "CFO",
        "Mid-market",
    )
    assert zoe.profile["team_size"] == "12"
    assert Participant.objects.get(name="Marcus Webb").company == HTML_COMPANY


def question_texts(page: Page, section: Section) -> list[str]:
    return page.locator(f"#section-{section.pk} .guide-question .question-text").all_inner_texts()


def create_guide(page: Page, study: Study) -> Guide:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Studies").click()
    page.get_by_role("link", name=STUDY).click()
    expect(page.get_by_text("No guide yet.")).to_be_visible()
    page.get_by_role("link", name="New guide").click()
    expect(page.get_by_role("heading", name="New interview guide")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Discovery interview")
    expect(page.get_by_role("radio", name=re.compile("^The built-in template"))).to_be_checked()
    expect(page.get_by_role("complementary", name="What the template holds")).to_contain_text(
        "Pains and how they measure them"
    )
    screenshot(page, "plan-10-new-guide")
    page.get_by_role("button", name="Create guide").click()

    expect(page.get_by_role("heading", name="Discovery interview", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Guide created from the template.")
    expect(page.get_by_role("region", name="Questions")).to_contain_text(
        "15 questions in 6 sections"
    )
    # The study's two points are listed, neither served by a question yet.
    coverage = page.get_by_role("region", name="Validation points")
    expect(coverage.locator(".coverage-item--missing")).to_have_count(2)
    guide = Guide.objects.get(study=study)
    assert guide.sections.count() == 6

    section = guide.sections.get(title="Pains and how they measure them")
    before = [q.text for q in section.questions.all()]
    assert question_texts(page, section) == before
    moved = section.questions.first()
    assert moved is not None
    handle = page.locator(f"#question-{moved.pk} > .drag-handle")
    expect(handle).to_have_accessible_name(re.compile(r"^Move question .*arrow keys"))
    with page.expect_response(lambda r: "/questions/reorder/" in r.url) as saved:
        press(handle, "ArrowDown")
    assert saved.value.ok
    after = [before[1], before[0], *before[2:]]
    assert question_texts(page, section) == after
    expect(handle).to_be_focused()  # a second press would move it on
    assert [q.text for q in section.questions.all()] == after
    # The Up/Down buttons (for use without JavaScript) follow the new places at once.
    item = page.locator(f"#question-{moved.pk}")
    expect(item.get_by_role("button", name="Move question up")).to_be_enabled()
    first = page.locator(f"#question-{section.questions.first().pk}")
    expect(first.get_by_role("button", name="Move question up")).to_be_disabled()
    screenshot(page, "plan-11-guide-reordered")

    page.reload()
    expect(page.get_by_role("heading", name="Discovery interview", level=1)).to_be_visible()
    assert question_texts(page, section) == after
    return guide


def schedule_interview(page: Page, study: Study, guide: Guide, day: date) -> Interview:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Studies").click()
    page.get_by_role("link", name=STUDY).click()
    expect(page.get_by_role("region", name="Interview guides")).to_contain_text(
        "Discovery interview"
    )
    page.get_by_role("region", name="Interviews").get_by_role(
        "link", name="Schedule an interview"
    ).click()

    expect(page.get_by_role("heading", name="Schedule an interview")).to_be_visible()
    # Coming from the study: the study and its only guide are chosen already.
    expect(page.get_by_label("Study")).to_have_value(str(study.pk))
    expect(page.get_by_label("Guide")).to_have_value(str(guide.pk))
    expect(page.get_by_label("Length (minutes)")).to_have_attribute(
        "placeholder", str(guide.interview_minutes)
    )
    pick_participant(page, "fjordkraft", GUEST_OF_HONOUR)
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Time zone").select_option(TIME_ZONE)
    page.get_by_label("How you meet").select_option("video")
    page.get_by_label("Link or place").fill("https://meet.example.com/zoe-reporting")
    expect(
        page.get_by_role("checkbox", name=re.compile("^I will lead this interview"))
    ).to_be_checked()
    screenshot(page, "plan-12-schedule-form")
    page.get_by_role("button", name="Schedule interview").click()

    heading = page.get_by_role("heading", name=f"Interview with {GUEST_OF_HONOUR}", level=1)
    expect(heading).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Interview scheduled.")
    team = page.locator("#team")
    expect(team.locator("ol.team-list > li")).to_have_count(1)
    expect(team).to_contain_text("Rita Researcher")
    expect(team).to_contain_text("Interviewer")

    advice = team.locator("ul.advice")
    expect(advice).to_contain_text("No notetaker yet.")

    # A guest from outside Heard takes the notes (the method's "wingman"), introduced second.
    adder = team.locator("details.add-form")
    expect(adder).not_to_have_attribute("open", "")
    press(adder.locator("summary"), "Enter")
    expect(adder).to_have_attribute("open", "")
    expect(adder.get_by_label("Workspace member")).to_have_value("")
    adder.get_by_label("Or their name, if they are not in Heard").fill(GUEST)
    adder.get_by_label("Title, for the intros").fill("Product Analyst")
    expect(adder.get_by_label("Role on the call")).to_have_value("notetaker")
    adder.get_by_label("Role on the call").select_option("notetaker")
    adder.get_by_label("Seniority").fill("2")
    screenshot(page, "plan-13-team-form")
    adder.get_by_role("button", name="Add to the team").click()

    # The name is isolated in the message (its own direction, whatever its script).
    expect(page.get_by_role("status")).to_contain_text(f"\u2068{GUEST}\u2069 added to the team.")
    expect(team.locator("ol.team-list > li")).to_have_count(2)
    expect(advice).to_have_count(0)
    # Intros go most senior first: the interviewer (1), then the notetaker (2).
    expect(team.locator(".intro-order")).to_contain_text(
        f"Rita Researcher → {GUEST}, Product Analyst"
    )
    expect(team.locator("ol.team-list > li").last).to_contain_text("Not in Heard")

    interview = Interview.objects.get()
    assert interview.participant.name == GUEST_OF_HONOUR
    assert interview.guide == guide
    assert interview.length_minutes == guide.interview_minutes
    assert interview.time_zone == TIME_ZONE
    assert interview.local_start.replace(tzinfo=None) == datetime.combine(
        day, datetime.min.time()
    ).replace(hour=10)
    members = {(m.display_name, m.role, m.seniority) for m in interview.team.all()}
    assert members == {
        ("Rita Researcher", TeamRole.INTERVIEWER, 1),
        (GUEST, TeamRole.NOTETAKER, 2),
    }
    screenshot(page, "plan-14-interview")
    return interview


def download_invitation(page: Page, interview: Interview, day: date) -> None:
    """The team's invitation and the customer's, each named with Zoë's name as written."""
    with page.expect_download() as info:
        page.get_by_role("link", name="The customer's invitation (.ics)").click()
    download = info.value
    assert download.suggested_filename == f"invitation-{day:%Y-%m-%d}-zoë-ångström-nuñez.ics"
    [event] = Calendar.from_ical(download.path().read_bytes()).events
    assert "Who attends:" in str(event["DESCRIPTION"])
    assert "/w/" not in str(event["DESCRIPTION"])
    assert "Guide:" not in str(event["DESCRIPTION"])
    with page.expect_download() as info:
        page.get_by_role("link", name="The team's invitation (.ics)").click()
    download = info.value
    assert download.suggested_filename == f"interview-{day:%Y-%m-%d}-zoë-ångström-nuñez.ics"
    calendar = Calendar.from_ical(download.path().read_bytes())
    [event] = calendar.events
    assert GUEST_OF_HONOUR in str(event["SUMMARY"])
    start = event.start
    assert isinstance(start, datetime)
    assert start == datetime.combine(day, datetime.min.time(), ZoneInfo(TIME_ZONE)).replace(hour=10)
    assert start.utcoffset() == interview.starts_at.astimezone(ZoneInfo(TIME_ZONE)).utcoffset()
    assert event.end - start == timedelta(minutes=interview.length_minutes)
    description = str(event["DESCRIPTION"])
    assert f"Participant: {GUEST_OF_HONOUR}" in description
    assert description.index("Rita Researcher") < description.index(GUEST)
    assert str(event["LOCATION"]) == "https://meet.example.com/zoe-reporting"


def readiness_row(page: Page) -> Locator:
    return page.locator("table.interview-table tbody tr").filter(has_text=GUEST_OF_HONOUR)


def tick_checklist(page: Page, interview: Interview) -> None:
    checklist = page.locator("#checklist")
    total = interview.checklist.count()
    assert total == 7  # a video call needs the whole list
    expect(checklist).to_contain_text(f"0/{total} ready")
    url = page.url
    steps = checklist.get_by_role("button")
    expect(steps).to_have_count(total)

    # Enter on the first step, Space on the second; htmx swaps the card, so look the
    # buttons up again each time.
    for index, key in ((0, "Enter"), (1, " ")):
        step = checklist.get_by_role("button").nth(index)
        expect(step).to_have_attribute("aria-pressed", "false")
        with page.expect_response(lambda r: "/checklist/" in r.url):
            press(step, key)
        expect(checklist).to_contain_text(f"{index + 1}/{total} ready")
        expect(checklist.get_by_role("button").nth(index)).to_have_attribute("aria-pressed", "true")
    assert page.url == url  # ticked in place, no page load
    expect(checklist).to_contain_text("Ticked by Rita Researcher")
    assert interview.checklist.filter(done_at__isnull=False).count() == 2
    screenshot(page, "plan-15-checklist-two-ticked")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Interviews").click()
    expect(page.get_by_role("heading", name="Interviews", level=1)).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"^Upcoming"))).to_have_attribute(
        "aria-current", "page"
    )
    expect(readiness_row(page)).to_contain_text(f"2/{total} ready")
    expect(readiness_row(page)).to_contain_text("Rita Researcher")  # the interviewer
    screenshot(page, "plan-16-upcoming-two-ready")

    readiness_row(page).get_by_role("link").first.click()
    checklist = page.locator("#checklist")
    for index in range(2, total):
        step = checklist.get_by_role("button").nth(index)
        with page.expect_response(lambda r: "/checklist/" in r.url):
            press(step, "Enter" if index % 2 else " ")
        expect(checklist).to_contain_text(f"{index + 1}/{total} ready")
    expect(checklist.get_by_text("All set for the call.")).to_be_visible()
    assert interview.checklist.filter(done_at__isnull=True).count() == 0
    screenshot(page, "plan-17-checklist-all-ticked")

    page.get_by_role("link", name="Overview").click()
    home_row = page.get_by_role("region", name="Upcoming interviews").locator("tbody tr")
    expect(home_row).to_have_count(1)
    expect(home_row).to_contain_text(GUEST_OF_HONOUR)
    expect(home_row).to_contain_text(f"{total}/{total} ready")
    expect(home_row.locator(".meter")).not_to_have_class(re.compile("meter--low"))
    screenshot(page, "plan-18-home-all-ready")
    home_row.get_by_role("link").first.click()
    expect(page.get_by_role("heading", name=f"Interview with {GUEST_OF_HONOUR}")).to_be_visible()


def print_guide(page: Page, guide: Guide, study: Study) -> None:
    # From the checklist's hard-copy step, as a person gets there before the call.
    page.get_by_role("link", name="Print the guide for this interview").click()
    expect(page).to_have_title(re.compile(r"hard copy"))
    expect(page.get_by_role("heading", name=guide.title, level=1)).to_be_visible()
    expect(page.locator(".sheet-study")).to_contain_text(study.title)
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    # Printed for this interview: the blanks that Heard knows are filled in.
    expect(page.locator(".sheet-profile")).to_contain_text(GUEST_OF_HONOUR)
    expect(page.locator(".sheet-meeting")).to_contain_text("Rita Researcher")
    expect(page.get_by_role("link", name="← Back to the interview")).to_be_visible()
    sheet_questions = page.locator(".sheet-q-text")
    expect(sheet_questions).to_have_count(15)
    # The reordered question comes first in its section on paper too.
    pains = guide.sections.get(title="Pains and how they measure them")
    first = pains.questions.first()
    assert first is not None
    section = page.locator(".sheet-section").filter(has_text="Pains and how they measure them")
    expect(section.locator(".sheet-q-text").first).to_have_text(first.text)
    screenshot(page, "plan-19-print")

    # What goes on paper: print styles, A4 less Chromium's default 10 mm margins, at 96 dpi.
    page.emulate_media(media="print")
    page.set_viewport_size({"width": round(190 / 25.4 * 96), "height": round(277 / 25.4 * 96)})
    screenshot(page, "plan-20-print-a4")
    pdf = page.pdf(
        format="A4", margin={"top": "10mm", "right": "10mm", "bottom": "10mm", "left": "10mm"}
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "plan-20-print.pdf").write_bytes(pdf)
    pages = re.findall(rb"/Type\s*/Page\b(?!s)", pdf)
    assert len(pages) == 1, f"the hard copy takes {len(pages)} A4 pages"


def test_plan_a_round_of_interviews(person: Page, live_server: LiveServer, tmp_path: Path) -> None:
    page = person
    base = live_server.url
    assert not User.objects.exists()

    workspace = first_run(page, base)
    study = create_study(page)
    import_participants(page, write_csv(tmp_path))
    guide = create_guide(page, study)
    day = datetime.now(ZoneInfo(TIME_ZONE)).date() + timedelta(days=21)
    interview = schedule_interview(page, study, guide, day)
    download_invitation(page, interview, day)
    assert workspace.slug in page.url
    tick_checklist(page, interview)
    print_guide(page, guide, study)
