"""Every URL of the URL map, walked as an outsider (404) and as an observer (no write succeeds).

A new URL must be added to KWARGS below, or the coverage test fails: nobody forgets a page.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core import serializers
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from heard.accounts.models import AuditEntry, Invitation, Membership
from heard.api import tokens as api_tokens
from heard.exchange.models import ProjectImport
from heard.followups.models import FollowUp
from heard.followups.services import templates_for
from heard.guides.models import ProfileField
from heard.interviews.models import Note, Presence, QueuedQuestion, TeamMember, TeamRole
from heard.interviews.services import apply_checklist
from heard.interviews.transcripts import highlights
from heard.participants.models import ParticipantImport, ResearchNote
from heard.search.models import SavedSearch
from heard.synthesis.matrix import exports
from heard.synthesis.models import (
    Challenge,
    Decision,
    Evidence,
    Finding,
    PointSummary,
    Quote,
    Review,
    Summary,
)
from heard.webhooks.models import Delivery, DeliveryStatus, Webhook
from heard.webhooks.models import Event as WebhookEvent
from tests.support import factories
from tests.support.media import stored_recording
from tests.support.personas import Team
from tests.support.transcripts import imported_transcript

# The live views read in a thread pool: the data must be committed to be seen there.
pytestmark = pytest.mark.django_db(transaction=True)

# Pages that belong to no workspace: signing in, first run, links, the workspace chooser.
NOT_IN_A_WORKSPACE = {
    "site:home",
    "accounts:setup",
    "accounts:login",
    "accounts:logout",
    "accounts:password_change",
    "accounts:sign_in_link",
    "accounts:invitation",
    "accounts:workspace_new",
    # A person's own calendar feed: their page (make, replace, stop its address), and the
    # feed at its secret address, which needs no session and is 404 unless live
    # (tests/interviews/test_calendar_page.py).
    "calendar:page",
    "calendar:create",
    "calendar:stop",
    "calendar:feed",
}

# Pages that only read: an observer may load them (a POST there changes nothing either).
READ_ONLY = {
    "site:workspace",
    "accounts:team",
    # Anyone may make a token with their own role or a lower one: the walker's "owner" is
    # refused for an observer, and nothing is written.
    "api_tokens:list",
    "studies:list",
    "studies:detail",
    "participants:list",
    "participants:detail",
    "guides:detail",
    "guides:print",
    "interviews:list",
    "interviews:detail",
    "interviews:ics",
    "interviews:customer_ics",
    "interviews:live",
    "interviews:live_state",
    "interviews:live_events",
    "interviews:live_stream",
    "interviews:wrapup",
    "summaries:detail",
    "summaries:markdown",
    "summaries:print",
    "matrix:page",
    "matrix:xlsx",
    "matrix:csv",
    # A large study's XLSX made in the background: its progress and its file, the asker's.
    "matrix:export",
    "matrix:export_file",
    "findings:list",
    "findings:detail",
    "reviews:decisions",
    "reviews:board",
    "reviews:present",
    "reviews:round",
    "followups:templates",
    "followups:detail",
    "followups:eml",
    # An interview's recordings: observers play and download them.
    "recordings:list",
    "recordings:play",
    "recordings:original",
    # An interview's transcripts: observers read and download them.
    "transcripts:card",
    "transcripts:detail",
    "transcripts:download",
    # Search: observers find what they may read elsewhere.
    "search:page",
    # The study as a REFI-QDA project and codebook: downloads of the study, as the matrix's.
    "exchange:project",
    "exchange:codebook",
}

# Reads an observer may not make, and why (a GET is 403; a POST to these GET-only addresses
# is 405, and changes nothing either).
OBSERVERS_MAY_NOT_READ = {
    # Everything held about one participant, for their request: owners only.
    "privacy:export",
    # Every participant's email and phone at once: for observers only where the workspace
    # allows it (Workspace.observers_may_export_participants), and the walker's keeps the
    # default, off. Observers still read each participant's page.
    "participants:export",
    # The search of the schedule form's participant picker: for those who schedule.
    "participants:picker",
    # The interviewer coach's reports and figures: the interviewer's own, with the owners
    # (and every researcher where the workspace opens them); never observers.
    "coach:report",
    "coach:report_json",
    "coach:person",
    "coach:study",
    "coach:study_json",
    # The audit log names what each member read and did: owners only.
    "audit:log",
    "audit:csv",
    # Webhooks carry the workspace's events to other tools, and their log holds what was
    # sent: owners only, as they manage the workspace.
    "webhooks:list",
    "webhooks:detail",
}

# The few writes an observer may make, and why.
OBSERVERS_MAY_WRITE = {
    # Stakeholders join calls as guests: they queue questions for the team's reserve.
    "interviews:live_queue",
}

# Taking part in a review: observers vote and challenge (the stakeholders who only read
# elsewhere are the colleagues a review is for). With the walker's data their POST succeeds
# and writes; outsiders still get 404, and a GET is still 405.
OBSERVERS_TAKE_PART = {"reviews:vote", "reviews:challenge"}

# Asking for a large study's XLSX file, made in the background: the same read as downloading
# the matrix, which observers may. Their POST queues it (and replaces the file they asked for
# before, which the walker reads first: the addresses go in order of their names).
OBSERVERS_EXPORT = {"matrix:export_start"}

# An observer's own API token, which they may revoke (another member's is 404 to them).
OBSERVERS_OWN = {"api_tokens:revoke"}

# The REST API's addresses: let in by tokens, not sessions, and walked by tests/api/ (every
# operation as an outsider's token, an observer's and no token at all).
API = {"api:api-root", "api:openapi-json", "api:openapi-view"}


@dataclass
class World:
    """One of every object, all in the team's workspace."""

    objects: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        return self.objects[name]


def build_world(team: Team) -> World:
    ws = team.workspace
    study = factories.study(ws)
    point = factories.point(study)
    participant = factories.participant(ws)
    note = ResearchNote.objects.create(participant=participant, source="CRM", body="Known fact")
    upload = ParticipantImport.objects.create(
        workspace=ws, created_by=team.owner, filename="people.csv", text="name\nAda\n"
    )
    guide = factories.guide(study)
    field = ProfileField.objects.create(guide=guide, label="Team size", key="team_size")
    section = guide.sections.get()
    question = section.questions.first()
    interview = factories.interview(study, participant, guide=guide)
    apply_checklist(interview)
    member = TeamMember.objects.create(
        interview=interview, user=team.teammate, role=TeamRole.NOTETAKER
    )
    note_live = Note.objects.create(interview=interview, author=team.owner, text="Said in the call")
    queued = QueuedQuestion.objects.create(interview=interview, author=team.owner, text="Pricing?")
    invitation, _ = Invitation.issue(
        workspace=ws, role="researcher", email="", created_by=team.owner, days=7
    )
    summary = Summary.objects.create(interview=interview, author=team.owner)
    point_summary = PointSummary.objects.create(summary=summary, point=point)
    quote = Quote.objects.create(
        point_summary=point_summary, note=note_live, text=note_live.text, source_text=note_live.text
    )
    finding = Finding.objects.create(study=study, statement="Reports take hours")
    Evidence.objects.create(finding=finding, quote=quote, bearing="supports")
    review = Review.objects.create(study=study, title="Review", started_by=team.owner)
    challenge = Challenge.objects.create(
        review=review, finding=finding, author=team.teammate, text="Why?"
    )
    decision = Decision.objects.create(
        study=study, review=review, text="Go", decided_at=timezone.now()
    )
    decision.findings.set([finding])
    [followup_template] = templates_for(ws)
    followup = FollowUp.objects.create(
        interview=interview, to_email="ada@client.example", subject="Thanks", body="Thank you."
    )
    interview.recording_consent = "yes"
    interview.save()
    recording = stored_recording(interview, team.owner, Path(tempfile.mkdtemp()))
    transcript = imported_transcript(interview, team.owner, recording)
    line = transcript.segments.order_by("index").first()
    highlight = highlights.add(
        transcript, highlights.locate(transcript, line.pk, None, line.text), "quote", [], team.owner
    )
    saved_search = SavedSearch.objects.create(study=study, name="Pains", query="kind:pain")
    webhook = Webhook.objects.create(
        workspace=ws, url="http://127.0.0.1:9/hook", events=["interview.finished"], secret="s"
    )
    delivery = Delivery.objects.create(
        webhook=webhook,
        event=WebhookEvent.objects.create(
            workspace=ws, type="interview.finished", body="{}", created_at=timezone.now()
        ),
        status=DeliveryStatus.FAILED,
        next_attempt_at=timezone.now(),
    )
    project_import = ProjectImport.objects.create(
        study=study, created_by=team.owner, filename="coded.qdpx"
    )
    # The observer's own: an export is its asker's alone.
    export = exports.start(
        study, team.observer, query="", pseudonyms=True, base_url="http://testserver"
    )
    api_token = api_tokens.create(ws, team.observer, name="Wiki").token
    return World(
        {
            "api_token": api_token,
            "saved_search": saved_search,
            "webhook": webhook,
            "delivery": delivery,
            "project_import": project_import,
            "export": export,
            "study": study,
            "point": point,
            "participant": participant,
            "note": note,
            "upload": upload,
            "guide": guide,
            "field": field,
            "section": section,
            "question": question,
            "interview": interview,
            "member": member,
            "item": interview.checklist.first(),
            "membership": Membership.objects.get(user=team.teammate, workspace=ws),
            "invitation": invitation,
            "note_live": note_live,
            "queued": queued,
            "quote": quote,
            "finding": finding,
            "review": review,
            "challenge": challenge,
            "followup_template": followup_template,
            "followup": followup,
            "recording": recording,
            "transcript": transcript,
            "highlight": highlight,
        }
    )


Kwargs = Callable[[World], dict[str, Any]]


def none(world: World) -> dict[str, int]:
    return {}


KWARGS: dict[str, Kwargs] = {
    "site:workspace": none,
    "accounts:team": none,
    "accounts:invitation_create": none,
    "accounts:invitation_revoke": lambda w: {"pk": w.invitation.pk},
    "accounts:invitation_send": lambda w: {"pk": w.invitation.pk},
    "accounts:member_role": lambda w: {"pk": w.membership.pk},
    "accounts:member_remove": lambda w: {"pk": w.membership.pk},
    "accounts:workspace_settings": none,
    "audit:log": none,
    "audit:csv": none,
    "studies:list": none,
    "studies:create": none,
    "studies:detail": lambda w: {"pk": w.study.pk},
    "studies:edit": lambda w: {"pk": w.study.pk},
    "studies:delete": lambda w: {"pk": w.study.pk},
    "studies:point_create": lambda w: {"pk": w.study.pk},
    "studies:point_reorder": lambda w: {"pk": w.study.pk},
    "studies:point_edit": lambda w: {"study_pk": w.study.pk, "pk": w.point.pk},
    "studies:point_delete": lambda w: {"study_pk": w.study.pk, "pk": w.point.pk},
    "studies:point_move": lambda w: {"study_pk": w.study.pk, "pk": w.point.pk},
    "studies:point_archive": lambda w: {"study_pk": w.study.pk, "pk": w.point.pk},
    "studies:point_restore": lambda w: {"study_pk": w.study.pk, "pk": w.point.pk},
    "participants:list": none,
    "participants:create": none,
    "participants:export": none,
    "participants:picker": none,
    "participants:import": none,
    "participants:import_map": lambda w: {"pk": w.upload.pk},
    "participants:import_preview": lambda w: {"pk": w.upload.pk},
    "participants:import_duplicates": lambda w: {"pk": w.upload.pk},
    "participants:import_cancel": lambda w: {"pk": w.upload.pk},
    "participants:detail": lambda w: {"pk": w.participant.pk},
    "participants:edit": lambda w: {"pk": w.participant.pk},
    "participants:delete": lambda w: {"pk": w.participant.pk},
    "participants:note_create": lambda w: {"pk": w.participant.pk},
    "participants:note_edit": lambda w: {"participant_pk": w.participant.pk, "pk": w.note.pk},
    "participants:note_delete": lambda w: {"participant_pk": w.participant.pk, "pk": w.note.pk},
    "guides:create": lambda w: {"study_pk": w.study.pk},
    "guides:copy": lambda w: {"study_pk": w.study.pk},
    "guides:detail": lambda w: {"pk": w.guide.pk},
    "guides:edit": lambda w: {"pk": w.guide.pk},
    "guides:delete": lambda w: {"pk": w.guide.pk},
    "guides:restore": lambda w: {"pk": w.guide.pk},
    "guides:print": lambda w: {"pk": w.guide.pk},
    "guides:field_create": lambda w: {"pk": w.guide.pk},
    "guides:field_reorder": lambda w: {"pk": w.guide.pk},
    "guides:field_edit": lambda w: {"guide_pk": w.guide.pk, "pk": w.field.pk},
    "guides:field_delete": lambda w: {"guide_pk": w.guide.pk, "pk": w.field.pk},
    "guides:field_move": lambda w: {"guide_pk": w.guide.pk, "pk": w.field.pk},
    "guides:section_create": lambda w: {"pk": w.guide.pk},
    "guides:section_reorder": lambda w: {"pk": w.guide.pk},
    "guides:section_edit": lambda w: {"guide_pk": w.guide.pk, "pk": w.section.pk},
    "guides:section_delete": lambda w: {"guide_pk": w.guide.pk, "pk": w.section.pk},
    "guides:section_move": lambda w: {"guide_pk": w.guide.pk, "pk": w.section.pk},
    "guides:question_create": lambda w: {"guide_pk": w.guide.pk, "pk": w.section.pk},
    "guides:question_reorder": lambda w: {"guide_pk": w.guide.pk, "pk": w.section.pk},
    "guides:question_edit": lambda w: {"guide_pk": w.guide.pk, "pk": w.question.pk},
    "guides:question_delete": lambda w: {"guide_pk": w.guide.pk, "pk": w.question.pk},
    "guides:question_move": lambda w: {"guide_pk": w.guide.pk, "pk": w.question.pk},
    "interviews:list": none,
    "interviews:create": none,
    "interviews:guide_options": none,
    "interviews:detail": lambda w: {"pk": w.interview.pk},
    "interviews:edit": lambda w: {"pk": w.interview.pk},
    "interviews:cancel": lambda w: {"pk": w.interview.pk},
    "interviews:reinstate": lambda w: {"pk": w.interview.pk},
    "interviews:ics": lambda w: {"pk": w.interview.pk},
    "interviews:customer_ics": lambda w: {"pk": w.interview.pk},
    "interviews:team_add": lambda w: {"pk": w.interview.pk},
    "interviews:team_edit": lambda w: {"interview_pk": w.interview.pk, "pk": w.member.pk},
    "interviews:team_remove": lambda w: {"interview_pk": w.interview.pk, "pk": w.member.pk},
    "interviews:checklist_toggle": lambda w: {"interview_pk": w.interview.pk, "pk": w.item.pk},
    "interviews:live": lambda w: {"pk": w.interview.pk},
    "interviews:live_state": lambda w: {"pk": w.interview.pk},
    "interviews:live_events": lambda w: {"pk": w.interview.pk},
    "interviews:live_stream": lambda w: {"pk": w.interview.pk},
    "interviews:live_note_save": lambda w: {"pk": w.interview.pk},
    "interviews:live_note_delete": lambda w: {"pk": w.interview.pk, "note_id": w.note_live.pk},
    "interviews:live_note_restore": lambda w: {"pk": w.interview.pk, "note_id": w.note_live.pk},
    "interviews:live_question": lambda w: {"pk": w.interview.pk, "question_id": w.question.pk},
    "interviews:live_start": lambda w: {"pk": w.interview.pk},
    "interviews:live_consent": lambda w: {"pk": w.interview.pk},
    "interviews:live_intros": lambda w: {"pk": w.interview.pk},
    "interviews:live_reserves": lambda w: {"pk": w.interview.pk},
    "interviews:live_queue": lambda w: {"pk": w.interview.pk},
    "interviews:live_queue_asked": lambda w: {"pk": w.interview.pk, "item_id": w.queued.pk},
    "interviews:live_end": lambda w: {"pk": w.interview.pk},
    "interviews:wrapup": lambda w: {"pk": w.interview.pk},
    "interviews:wrapup_note_question": lambda w: {"pk": w.interview.pk, "note_id": w.note_live.pk},
    "summaries:detail": lambda w: {"pk": w.interview.pk},
    "summaries:start": lambda w: {"pk": w.interview.pk},
    "summaries:stance": lambda w: {"pk": w.interview.pk, "point_pk": w.point.pk},
    "summaries:heard": lambda w: {"pk": w.interview.pk, "point_pk": w.point.pk},
    "summaries:text": lambda w: {"pk": w.interview.pk, "section": "surprises"},
    "summaries:measure": lambda w: {"pk": w.interview.pk, "note_id": w.note_live.pk},
    "summaries:quote_add": lambda w: {"pk": w.interview.pk},
    "summaries:quote_edit": lambda w: {"pk": w.interview.pk, "quote_pk": w.quote.pk},
    "summaries:quote_remove": lambda w: {"pk": w.interview.pk, "quote_pk": w.quote.pk},
    "summaries:finalise": lambda w: {"pk": w.interview.pk},
    "summaries:reopen": lambda w: {"pk": w.interview.pk},
    "summaries:markdown": lambda w: {"pk": w.interview.pk},
    "summaries:print": lambda w: {"pk": w.interview.pk},
    "matrix:page": lambda w: {"pk": w.study.pk},
    "matrix:xlsx": lambda w: {"pk": w.study.pk},
    "matrix:csv": lambda w: {"pk": w.study.pk},
    "matrix:export_start": lambda w: {"pk": w.study.pk},
    "matrix:export": lambda w: {"pk": w.study.pk, "export_pk": w.export.pk},
    "matrix:export_file": lambda w: {"pk": w.study.pk, "export_pk": w.export.pk},
    "findings:list": lambda w: {"study_pk": w.study.pk},
    "findings:create": lambda w: {"study_pk": w.study.pk},
    "findings:detail": lambda w: {"study_pk": w.study.pk, "pk": w.finding.pk},
    "findings:edit": lambda w: {"study_pk": w.study.pk, "pk": w.finding.pk},
    "findings:delete": lambda w: {"study_pk": w.study.pk, "pk": w.finding.pk},
    "findings:evidence": lambda w: {"study_pk": w.study.pk, "pk": w.finding.pk},
    "findings:evidence_pick": lambda w: {"study_pk": w.study.pk, "pk": w.finding.pk},
    "reviews:start": lambda w: {"study_pk": w.study.pk},
    "reviews:decisions": lambda w: {"study_pk": w.study.pk},
    "reviews:board": lambda w: {"pk": w.review.pk},
    "reviews:present": lambda w: {"pk": w.review.pk},
    "reviews:presenting": lambda w: {"pk": w.review.pk},
    "reviews:vote": lambda w: {"pk": w.review.pk, "finding_pk": w.finding.pk},
    "reviews:challenge": lambda w: {"pk": w.review.pk, "finding_pk": w.finding.pk},
    "reviews:challenge_resolve": lambda w: {"pk": w.review.pk, "challenge_pk": w.challenge.pk},
    "reviews:status": lambda w: {"pk": w.review.pk},
    "reviews:decision_add": lambda w: {"pk": w.review.pk},
    "reviews:round": lambda w: {"pk": w.review.pk},
    "reviews:round_draft": lambda w: {"pk": w.review.pk},
    "participants:recontact": lambda w: {"pk": w.participant.pk},
    "followups:templates": none,
    "followups:template_create": none,
    "followups:template_edit": lambda w: {"pk": w.followup_template.pk},
    "followups:template_delete": lambda w: {"pk": w.followup_template.pk},
    "followups:create": lambda w: {"interview_pk": w.interview.pk},
    "followups:detail": lambda w: {"interview_pk": w.interview.pk, "pk": w.followup.pk},
    "followups:edit": lambda w: {"interview_pk": w.interview.pk, "pk": w.followup.pk},
    "followups:send": lambda w: {"interview_pk": w.interview.pk, "pk": w.followup.pk},
    "followups:sent_by_hand": lambda w: {"interview_pk": w.interview.pk, "pk": w.followup.pk},
    "followups:outcome": lambda w: {"interview_pk": w.interview.pk, "pk": w.followup.pk},
    "followups:delete": lambda w: {"interview_pk": w.interview.pk, "pk": w.followup.pk},
    "followups:eml": lambda w: {"interview_pk": w.interview.pk, "pk": w.followup.pk},
    "consent:record": lambda w: {"pk": w.interview.pk, "topic": "quoting"},
    "privacy:erase": lambda w: {"pk": w.participant.pk},
    "privacy:export": lambda w: {"pk": w.participant.pk},
    "privacy:retention": none,
    "privacy:retention_hold": lambda w: {"pk": w.interview.pk},
    "privacy:redact": lambda w: {"pk": w.interview.pk},
    "recordings:list": lambda w: {"pk": w.interview.pk},
    "recordings:upload": lambda w: {"pk": w.interview.pk},
    "recordings:start": lambda w: {"pk": w.interview.pk},
    "recordings:chunk": lambda w: {"pk": w.interview.pk, "recording_pk": w.recording.pk},
    "recordings:delete": lambda w: {"pk": w.interview.pk, "recording_pk": w.recording.pk},
    "recordings:original": lambda w: {"pk": w.interview.pk, "recording_pk": w.recording.pk},
    "recordings:play": lambda w: {"pk": w.interview.pk, "recording_pk": w.recording.pk},
    "transcripts:card": lambda w: {"pk": w.interview.pk},
    "transcripts:start": lambda w: {"pk": w.interview.pk},
    "transcripts:import": lambda w: {"pk": w.interview.pk},
    "transcripts:speakers": lambda w: {"pk": w.interview.pk},
    "transcripts:detail": lambda w: {"pk": w.interview.pk, "transcript_pk": w.transcript.pk},
    "transcripts:cancel": lambda w: {"pk": w.interview.pk, "transcript_pk": w.transcript.pk},
    "transcripts:retry": lambda w: {"pk": w.interview.pk, "transcript_pk": w.transcript.pk},
    "transcripts:delete": lambda w: {"pk": w.interview.pk, "transcript_pk": w.transcript.pk},
    "transcripts:download": lambda w: {
        "pk": w.interview.pk,
        "transcript_pk": w.transcript.pk,
        "fmt": "vtt",
    },
    "transcripts:segment": lambda w: {
        "pk": w.interview.pk,
        "transcript_pk": w.transcript.pk,
        "segment_pk": w.transcript.segments.order_by("index").first().pk,
    },
    "transcripts:offset": lambda w: {"pk": w.interview.pk, "transcript_pk": w.transcript.pk},
    "transcripts:highlight": lambda w: {"pk": w.interview.pk, "transcript_pk": w.transcript.pk},
    "transcripts:highlight_edit": lambda w: {
        "pk": w.interview.pk,
        "transcript_pk": w.transcript.pk,
        "note_pk": w.highlight.pk,
    },
    "transcripts:highlight_delete": lambda w: {
        "pk": w.interview.pk,
        "transcript_pk": w.transcript.pk,
        "note_pk": w.highlight.pk,
    },
    "coach:report": lambda w: {"pk": w.interview.pk},
    "coach:recompute": lambda w: {"pk": w.interview.pk},
    "coach:report_json": lambda w: {"pk": w.interview.pk},
    "coach:person": lambda w: {"user_pk": w.membership.user_id},
    "coach:study": lambda w: {"pk": w.study.pk},
    "coach:study_json": lambda w: {"pk": w.study.pk},
    "coach:policy": none,
    "search:page": none,
    "search:add": none,
    "search:save": none,
    "search:delete_saved": lambda w: {"pk": w.saved_search.pk},
    "webhooks:list": none,
    "webhooks:create": none,
    "webhooks:detail": lambda w: {"pk": w.webhook.pk},
    "webhooks:edit": lambda w: {"pk": w.webhook.pk},
    "webhooks:delete": lambda w: {"pk": w.webhook.pk},
    "webhooks:secret": lambda w: {"pk": w.webhook.pk},
    "webhooks:resend": lambda w: {"pk": w.webhook.pk, "delivery_pk": w.delivery.pk},
    "exchange:project": lambda w: {"pk": w.study.pk},
    "exchange:codebook": lambda w: {"pk": w.study.pk},
    "exchange:import": lambda w: {"pk": w.study.pk},
    "exchange:import_check": lambda w: {"pk": w.study.pk, "import_pk": w.project_import.pk},
    "exchange:import_cancel": lambda w: {"pk": w.study.pk, "import_pk": w.project_import.pk},
    "api_tokens:list": none,
    "api_tokens:revoke": lambda w: {"pk": w.api_token.pk},
}

# A plausible body for each write, so that a missing permission check would really write.
POST_DATA = {
    "direction": "down",
    "order": [],
    "title": "Changed",
    "goal": "Changed",
    "status": "planning",
    "statement": "Changed",
    "kind": "hypothesis",
    "priority": "1",
    "name": "Changed",
    "role": "owner",
    "email": "changed@example.org",
    "source": "Changed",
    "body": "Changed",
    "label": "Changed",
    "text": "Changed",
    "stance": "supports",
    "what_we_heard": "Changed",
    "bearing": "against",
    "acknowledged": "1",
    "subject": "Changed",
    "to_email": "changed@example.org",
    "recontact": "no",
    "vote": "disagree",
    "resolution": "Changed",
    "version": "0",
    "seconds": "30",
}


def url_names() -> set[str]:
    names: set[str] = set()

    def walk(resolver: URLResolver, namespace: str | None) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                walk(entry, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                names.add(f"{namespace}:{entry.name}")

    walk(get_resolver(), None)
    return names


def workspace_urls(world: World, slug: str) -> list[tuple[str, str]]:
    return [
        (name, reverse(name, kwargs={"ws": slug, **kwargs(world)}))
        for name, kwargs in sorted(KWARGS.items())
    ]


def fingerprint(skip: tuple[type, ...] = ()) -> str:
    """A hash of every row Heard keeps (but those of the `skip` models), to prove that
    nothing changed."""
    digest = hashlib.sha256()
    for model in apps.get_models():
        if model in skip:
            continue
        if model._meta.app_label in {"sessions", "contenttypes", "auth"} or model is Presence:
            continue  # sessions and "who has the live screen open" are not content
        if model is AuditEntry:
            continue  # the audit log records an observer's reads (a play, a download) by design
        rows = model._default_manager.order_by("pk")
        digest.update(serializers.serialize("json", rows).encode())
    return digest.hexdigest()


def test_every_url_is_walked():
    names = url_names()
    assert {name for name in names if name.startswith("api:")} >= API
    assert {name for name in names if not name.startswith("api:")} == set(
        KWARGS
    ) | NOT_IN_A_WORKSPACE


def test_outsider_gets_404_for_every_url(team: Team, outsider_client: Client):
    world = build_world(team)
    before = fingerprint()
    for name, url in workspace_urls(world, team.workspace.slug):
        assert outsider_client.get(url).status_code == 404, f"GET {name}"
        assert outsider_client.post(url, POST_DATA).status_code == 404, f"POST {name}"
    assert fingerprint() == before


def test_our_objects_are_404_under_the_outsiders_own_workspace(team: Team, outsider_client: Client):
    world = build_world(team)
    before = fingerprint()
    for name, url in workspace_urls(world, team.other_workspace.slug):
        if KWARGS[name] is none:
            continue  # the outsider's own lists: they may see those
        # A POST-only address answers 405 to a GET whether or not the object exists.
        assert outsider_client.get(url).status_code in {404, 405}, f"GET {name}"
        assert outsider_client.post(url, POST_DATA).status_code in {404, 405}, f"POST {name}"
        assert (
            outsider_client.generic(
                "POST" if outsider_client.get(url).status_code == 405 else "GET", url
            ).status_code
            == 404
        ), f"{name}"
    assert fingerprint() == before


def test_observer_reads_everything_and_no_write_succeeds(team: Team, observer_client: Client):
    world = build_world(team)
    before = fingerprint()
    for name, url in workspace_urls(world, team.workspace.slug):
        read = observer_client.get(url)
        if name in READ_ONLY:
            assert read.status_code == 200, f"GET {name}"
        else:
            assert read.status_code in {403, 405}, f"GET {name}: {read.status_code}"
        write = observer_client.post(url, POST_DATA)
        if name in OBSERVERS_TAKE_PART | OBSERVERS_EXPORT | OBSERVERS_OWN:
            assert write.status_code == 302, f"POST {name}: {write.status_code}"
            assert fingerprint() != before, f"POST {name} changed nothing"
            before = fingerprint()
            continue
        if name in READ_ONLY:
            assert write.status_code in {200, 405}, f"POST {name}: {write.status_code}"
        elif name in OBSERVERS_MAY_NOT_READ:
            assert read.status_code == 403, f"GET {name}: {read.status_code}"
            assert write.status_code in {403, 405}, f"POST {name}: {write.status_code}"
        elif name in OBSERVERS_MAY_WRITE:
            # Allowed, but the walker's form data is not what the address takes: refused as
            # malformed, and nothing changes (their own tests cover the real writes).
            assert write.status_code == 400, f"POST {name}: {write.status_code}"
        else:
            assert write.status_code == 403, f"POST {name}: {write.status_code}"
        assert fingerprint() == before, f"POST {name} changed something"


def test_signed_out_visitors_are_sent_to_sign_in(team: Team, client: Client):
    world = build_world(team)
    for name, url in workspace_urls(world, team.workspace.slug):
        response = client.get(url)
        if not getattr(resolve(url).func, "login_required", True):
            # The live screen's API answers in JSON: the screen keeps its notes and says so.
            assert response.status_code == 401, name
            assert "sign in" in response.json()["error"], name
            continue
        assert response.status_code == 302, name
        assert response.url.startswith(reverse("accounts:login")), name


def test_the_fingerprint_sees_a_change(team: Team):
    before = fingerprint()
    factories.study(team.workspace, title=json.dumps({"x": timezone.now().isoformat()}))
    assert fingerprint() != before
