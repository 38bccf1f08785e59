"""What a participant agreed to, interview by interview: each answer a record of its own (what
was asked, the answer, who asked, when and how), never changed afterwards. A change of mind is
a new record; the latest of each topic is the answer that holds. The recording answer that
holds is also kept on the interview (`Interview.recording_consent`), which every recording
feature reads."""

from __future__ import annotations

from django.db import models

from heard.accounts.models import User
from heard.interviews.models.schedule import Interview


class ConsentTopic(models.TextChoices):
    RECORDING = "recording", "Recording the call and keeping the recording"
    QUOTING = "quoting", "Quoting their words"


class ConsentAnswer(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    BY_NAME = "by_name", "Yes, by name"
    ANONYMOUSLY = "anonymously", "Yes, anonymously"


# The answers each topic takes, in the order a form offers them.
ANSWERS: dict[str, tuple[ConsentAnswer, ...]] = {
    ConsentTopic.RECORDING: (ConsentAnswer.YES, ConsentAnswer.NO),
    ConsentTopic.QUOTING: (ConsentAnswer.ANONYMOUSLY, ConsentAnswer.BY_NAME, ConsentAnswer.NO),
}

# What the team asks, in Heard's words, unless they say they asked otherwise.
ASKED: dict[str, str] = {
    ConsentTopic.RECORDING: (
        "Is it all right with you if we record this call? It is only for our team, so we can "
        "listen again instead of taking notes the whole time."
    ),
    ConsentTopic.QUOTING: (
        "May we quote what you said when we share what we learned, and may we give your name "
        "with it, or only without it?"
    ),
}


class ConsentWay(models.TextChoices):
    IN_CALL = "in_call", "Asked in the call"
    IN_WRITING = "in_writing", "In writing (email, form, signed page)"
    AFTERWARDS = "afterwards", "Confirmed afterwards by the team"


class ConsentRecord(models.Model):
    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="consents")
    topic = models.CharField(max_length=12, choices=ConsentTopic.choices)
    answer = models.CharField(max_length=12, choices=ConsentAnswer.choices)
    asked = models.TextField("what was asked", max_length=2000)
    way = models.CharField("how", max_length=12, choices=ConsentWay.choices)
    note = models.CharField(max_length=300, blank=True)
    asked_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(help_text="When the participant answered.")
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(help_text="When the answer was written down in Heard.")

    class Meta:
        ordering = ("recorded_at", "id")
        indexes = (
            # An interview's answers, the latest of each topic first.
            models.Index(fields=("interview", "topic", "-recorded_at"), name="consent_latest_idx"),
        )

    def __str__(self) -> str:
        return f"{self.get_topic_display()}: {self.get_answer_display()}"

    @property
    def allows(self) -> bool:
        """Whether the answer is a yes of some kind."""
        return self.answer != ConsentAnswer.NO
