"""A round of interviews written in Hebrew and Arabic, from the plan to the decision, built
through each stage's services: for checking that every place showing or editing typed text
gives it the direction of its script."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.utils import timezone

from heard.accounts.models import Role, User, Workspace
from heard.followups import services as followups
from heard.followups.models import FollowUp, FollowUpTemplate
from heard.guides.models import Guide, ProfileField, Question, Section
from heard.interviews.live import milestones, notes, questions
from heard.interviews.models import Interview, NoteKind, TeamMember, TeamRole
from heard.participants.models import Participant, ResearchNote
from heard.studies.models import Study, ValidationPoint
from heard.synthesis.findings import services as findings
from heard.synthesis.models import Bearing, EvidenceBearing, Finding, Review, Stance, Summary
from heard.synthesis.reviews import decisions
from heard.synthesis.reviews import services as reviews
from heard.synthesis.summaries import services as summaries
from tests.support import factories

# The line of the report: Hebrew with a Latin word in it and its full stop at the end.
MIXED = "הם מבקשים תזמון של דוחות PDF, כל שבוע."
# Letters of the scripts written right to left (Hebrew, Arabic and their neighbours).
RTL_LETTERS = "\u0590-\u08ff"

TEXT = {
    "study": "תזמון דוחות לצוותים קטנים",
    "goal": "نريد أن نفهم لماذا يصعب إعداد التقارير.",
    "decision": "האם לבנות תזמון דוחות ברבעון הבא?",
    "point": MIXED,
    "point2": "يثقون بالتقارير المجدولة دون مراجعة.",
    "confirm": "שלושה לקוחות מתארים שעתיים בשבוע.",
    "refute": "רוב הלקוחות לא מפיקים דוחות בכלל.",
    "name": "עדי לוי",
    "company": "חברת אור",
    "role": "מנהלת שיווק",
    "segment": "עסקים קטנים",
    "size": "שישה אנשים",
    "size_label": "גודל הצוות",
    "name2": "سارة الخطيب",
    "company2": "شركة النور",
    "source": "محادثة سابقة",
    "body": "تستخدم جداول البيانات كل يوم اثنين.",
    "guide": "מדריך ראיון ראשון",
    "section": "ההקשר שלהם",
    "purpose": "نفهم عالمهم قبل منتجنا.",
    "question": "ספרי לי על הפעם האחרונה שהפקת דוח.",
    "follow_up_question": "כמה זמן זה לקח?",
    "location": "חדר הישיבות בקומה השנייה",
    "guest": "נועה כהן",
    "guest_title": "סמנכ״לית מוצר",
    "pain": "כל יום שני הולך על בניית אותם שישה דוחות.",
    "quote": "אני לא שולחת להנהלה שום דבר שלא בדקתי פעמיים.",
    "kpi": "שלוש שעות בשבוע על דוחות",
    "request": "כפתור שמתזמן את הדוח",
    "why": "כדי שיום שני יהיה פנוי",
    "root": "הצוות קטן מדי כדי לאבד בוקר בשבוע",
    "follow_up": "לשלוח לה את גרסת הבטא",
    "competition": "ניסו את Looker בשנה שעברה",
    "note": "يعمل الفريق من المنزل أيام الجمعة.",
    "live_note": "הם מייצאים כל יום שני ב-9:00.",
    "queued": "מה קורה בסוף הרבעון?",
    "heard": "بوضوح: صباح كل يوم اثنين يضيع.",
    "surprises": "הם מדפיסים את הדוחות.",
    "finding": "צוותים קטנים מאבדים שעות בכל שבוע על דוחות.",
    "review": "סקירה ראשונה של הממצאים",
    "challenge": "ربما هذه عادة وليست ألمًا.",
    "resolution": "דיברנו על זה: נשאל שוב.",
    "decision_text": "נבנה תזמון דוחות לשבועיים ניסיון.",
    "template": "תודה על הזמן",
    "subject": "תודה על השיחה, עדי",
    "body_mail": "שלום עדי,\n\nתודה על הזמן שלך.",  # noqa: RUF001  (Hebrew, not Latin)
}


@dataclass
class Written:
    workspace: Workspace
    owner: User
    study: Study
    points: list[ValidationPoint]
    guide: Guide
    question: Question
    adi: Participant
    sara: Participant
    held: Interview
    live: Interview
    summary: Summary
    finding: Finding
    review: Review
    template: FollowUpTemplate
    mail: FollowUp


def write_round() -> Written:
    workspace = factories.workspace("Ledgerly")
    owner = factories.member(workspace, Role.OWNER, name="Dana Lee")
    study = factories.study(
        workspace, title=TEXT["study"], goal=TEXT["goal"], decision=TEXT["decision"]
    )
    points = [factories.point(study, TEXT["point"], 0), factories.point(study, TEXT["point2"], 1)]
    points[0].confirm_if, points[0].refute_if = TEXT["confirm"], TEXT["refute"]
    points[0].save()
    guide = Guide.objects.create(study=study, title=TEXT["guide"])
    ProfileField.objects.create(guide=guide, key="team_size", label=TEXT["size_label"])
    section = Section.objects.create(guide=guide, title=TEXT["section"], purpose=TEXT["purpose"])
    question = Question.objects.create(
        section=section, text=TEXT["question"], follow_ups=TEXT["follow_up_question"]
    )
    question.points.set(points[:1])
    adi = factories.participant(
        workspace,
        name=TEXT["name"],
        company=TEXT["company"],
        role=TEXT["role"],
        segment=TEXT["segment"],
        profile={"team_size": TEXT["size"]},
    )
    sara = factories.participant(workspace, name=TEXT["name2"], company=TEXT["company2"])
    for person in (adi, sara):
        ResearchNote.objects.create(
            participant=person, source=TEXT["source"], body=TEXT["body"], author=owner
        )

    start = timezone.now() - datetime.timedelta(days=2)
    held = factories.interview(study, adi, guide=guide, starts_at=start, location=TEXT["location"])
    TeamMember.objects.create(interview=held, user=owner, role=TeamRole.INTERVIEWER)
    TeamMember.objects.create(
        interview=held, guest_name=TEXT["guest"], title=TEXT["guest_title"], seniority=2
    )
    milestones.start(held, owner)
    ids = {}
    for minute, (kind, name) in enumerate(
        (
            (NoteKind.QUOTE, "quote"),
            (NoteKind.PAIN, "pain"),
            (NoteKind.KPI, "kpi"),
            (NoteKind.SOLUTION_REQUEST, "request"),
            (NoteKind.FOLLOW_UP, "follow_up"),
            (NoteKind.COMPETITION, "competition"),
            (NoteKind.NOTE, "note"),
        ),
        start=3,
    ):
        ids[name] = note(held, owner, kind, TEXT[name], minute, question)
    note(held, owner, NoteKind.WHY, TEXT["why"], 11, ladder_of=ids["request"])
    note(held, owner, NoteKind.PAIN, TEXT["root"], 12, ladder_of=ids["request"])
    milestones.end(held, owner, promised_follow_up=True)
    held.refresh_from_db()

    summary = summaries.start_summary(held, owner)
    summaries.set_point_field(summary, points[0], owner, "stance", Stance.SUPPORTS)
    summaries.set_point_field(summary, points[0], owner, "what_we_heard", TEXT["heard"])
    summaries.set_text(summary, "surprises", TEXT["surprises"])
    quote = summaries.add_quote(summary, points[0], owner, held.notes.get(text=TEXT["quote"]))
    summaries.edit_quote(quote, bearing=Bearing.FOR)

    finding = findings.create_finding(study, owner, TEXT["finding"], points[:1])
    findings.pick(finding, owner, EvidenceBearing.SUPPORTS, quote=quote)
    review = reviews.start_review(study, owner, TEXT["review"])
    reviews.vote(review, finding, owner, "agree")
    challenge = reviews.challenge(review, finding, owner, TEXT["challenge"], counter=quote)
    reviews.resolve(challenge, owner, TEXT["resolution"])
    decisions.record_decision(
        review,
        owner,
        TEXT["decision_text"],
        [finding],
        [owner],
        acknowledged=[
            decisions.acknowledgement_key(item.finding, item.warnings)
            for item in decisions.needing_acknowledgement(review.study)
        ],
    )

    template = FollowUpTemplate.objects.create(
        workspace=workspace, name=TEXT["template"], subject=TEXT["subject"], body=TEXT["body_mail"]
    )
    mail = followups.create_draft(
        held, owner, to_email=adi.email, subject=TEXT["subject"], body=TEXT["body_mail"]
    )

    live = factories.interview(study, sara, guide=guide, starts_at=timezone.now())
    TeamMember.objects.create(interview=live, user=owner, role=TeamRole.INTERVIEWER)
    milestones.start(live, owner)
    note(live, owner, NoteKind.NOTE, TEXT["live_note"], 1, question)
    questions.queue_question(live, owner, TEXT["queued"])
    return Written(
        workspace, owner, study, points, guide, question, adi, sara, held, live, summary, finding,
        review, template, mail,
    )  # fmt: skip


def note(
    interview: Interview,
    author: User,
    kind: str,
    text: str,
    minute: int,
    question: Question | None = None,
    ladder_of: str | None = None,
) -> str:
    """A note saved as the live screen saves it; its id."""
    note_id = str(uuid.uuid4())
    data = {
        "id": note_id,
        "kind": kind,
        "text": text,
        "elapsed_seconds": minute * 60 + 5,
        "question": question.pk if question else None,
        "ladder_of": ladder_of,
    }
    notes.save_note(interview, author, data)
    return note_id
