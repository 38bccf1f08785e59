"""The interview's consent page: record one topic's answer. The card on the interview page and
the list on the participant's page are drawn by `interview_tags`."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from heard.accounts.access import Need
from heard.accounts.requests import WorkspaceRequest
from heard.interviews.access import get_interview_for
from heard.interviews.consent import records
from heard.interviews.consent.forms import ConsentForm
from heard.interviews.consent.services import ConsentRefused, record_answer
from heard.interviews.models import ConsentAnswer, ConsentTopic, ConsentWay, Interview
from heard.interviews.transcripts.speakers import team_of
from heard.participants.models import Participant


def card_context(interview: Interview) -> dict[str, object]:
    """What the interview page's consent card shows: the answer that holds for each topic,
    and every answer, the latest first."""
    answers = list(records.history(interview))
    holding = records.current(answers)
    return {
        "consent_topics": [(topic, holding[topic.value]) for topic in ConsentTopic],
        "consent_history": answers,
        "consent_holding": {record.pk for record in holding.values() if record},
    }


def participant_context(participant: Participant) -> dict[str, object]:
    """Every answer the participant gave, and which of them hold (the latest of each
    interview's topic)."""
    answers = list(records.of_participant(participant))
    holding: set[int] = set()
    seen: set[tuple[int, str]] = set()
    for record in answers:  # the latest of each interview's topic comes first
        if (record.interview_id, record.topic) not in seen:
            seen.add((record.interview_id, record.topic))
            holding.add(record.pk)
    return {"consent_history": answers, "consent_holding": holding}


def consent_record(request: WorkspaceRequest, ws: str, pk: int, topic: str) -> HttpResponse:
    interview = get_interview_for(request, ws, pk, Need.EDIT)
    if topic not in ConsentTopic.values:
        raise Http404
    chosen = ConsentTopic(topic)
    form = ConsentForm(
        request.POST or None, interview=interview, topic=chosen, team=team_of(interview)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = record_answer(
                interview,
                request.user,
                chosen,
                ConsentAnswer(data["answer"]),
                asked=data["asked"],
                way=ConsentWay(data["way"]),
                answered_at=form.answered_at,
                asked_by=form.asked_by_user,
                note=data["note"],
            )
        except ConsentRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request, f"Recorded: {chosen.label.lower()}, “{record.get_answer_display()}”."
            )
            return redirect(reverse("interviews:detail", kwargs={"ws": ws, "pk": pk}) + "#consent")
    return render(
        request,
        "interviews/consent/record.html",
        {"interview": interview, "topic": chosen, "form": form, **card_context(interview)},
    )
