from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from heard.demo.builder import build_demo_workspace
from heard.interviews.models import InterviewStatus

pytestmark = pytest.mark.django_db


def test_the_demo_workspace_has_enough_for_every_screen():
    demo = build_demo_workspace()
    study = demo.workspace.studies.get()
    assert study.points.count() == 4
    participants = demo.workspace.participants.all()
    assert participants.count() == 8
    assert all(p.notes.exists() for p in participants)
    guide = study.guides.get()
    assert 10 <= sum(s.questions.count() for s in guide.sections.all()) <= 14
    upcoming = study.interviews.filter(status=InterviewStatus.SCHEDULED)
    done = study.interviews.filter(status=InterviewStatus.DONE)
    assert upcoming.count() == 3
    assert all(i.team.exists() and i.checklist.exists() for i in upcoming)
    assert done.count() == 2
    assert all(i.notes.count() >= 3 for i in done)


def test_the_demo_is_built_once_and_has_no_password():
    first = build_demo_workspace()
    again = build_demo_workspace()
    assert first.workspace == again.workspace
    assert not first.user.has_usable_password()


def test_every_main_page_of_the_demo_renders():
    demo = build_demo_workspace()
    client = Client()
    client.force_login(demo.user)
    ws = demo.workspace.slug
    study = demo.workspace.studies.get()
    guide = study.guides.get()
    pages = [
        reverse("site:workspace", args=[ws]),
        reverse("studies:list", args=[ws]),
        reverse("studies:detail", args=[ws, study.pk]),
        reverse("participants:list", args=[ws]),
        reverse("guides:detail", args=[ws, guide.pk]),
        reverse("interviews:list", args=[ws]),
        reverse("accounts:team", args=[ws]),
    ]
    pages += [
        reverse("participants:detail", args=[ws, p.pk]) for p in demo.workspace.participants.all()
    ]
    pages += [reverse("interviews:detail", args=[ws, i.pk]) for i in study.interviews.all()]
    for url in pages:
        assert client.get(url).status_code == 200, url


def test_the_demo_call_has_its_transcript_with_the_speakers_known():
    from heard.interviews.models import SpeakerRole, Transcript, TranscriptStatus

    demo = build_demo_workspace()
    transcript = Transcript.objects.get(interview__study__workspace=demo.workspace)
    assert transcript.status == TranscriptStatus.READY
    speakers = {s.label: s for s in transcript.interview.transcript_speakers.all()}
    assert speakers["Dana Lee"].role == SpeakerRole.TEAM
    assert speakers["Dana Lee"].user == demo.user
    assert speakers["Nickole Barros"].role == SpeakerRole.PARTICIPANT
    said = " ".join(transcript.segments.values_list("text", flat=True))
    # What the call's quote note says is said word for word in the transcript.
    assert "we definitely need to become more efficient" in said
