"""The interviews app's models: scheduling (schedule.py), the live call (live.py), its
recordings (recordings.py) and transcripts (transcripts.py), and what the participant agreed
to (consent.py), and what was redacted (redactions.py); each person's calendar feed
(calendar.py)."""

from heard.interviews.models.calendar import CalendarFeed
from heard.interviews.models.consent import (
    ANSWERS,
    ASKED,
    ConsentAnswer,
    ConsentRecord,
    ConsentTopic,
    ConsentWay,
)
from heard.interviews.models.live import (
    MAX_WHYS,
    NOTE_MAX_LENGTH,
    SAID_KINDS,
    LiveEvent,
    Note,
    NoteKind,
    NoteSource,
    Presence,
    QuestionState,
    QuestionStatus,
    QueuedQuestion,
    minutes_label,
)
from heard.interviews.models.recordings import Recording, RecordingStatus
from heard.interviews.models.redactions import REDACTED, Redaction, RedactionReason
from heard.interviews.models.schedule import (
    MAX_LENGTH_MINUTES,
    ChecklistItem,
    Consent,
    Interview,
    InterviewState,
    InterviewStatus,
    Mode,
    TeamMember,
    TeamRole,
    held,
    interviewers_of,
    validate_time_zone,
)
from heard.interviews.models.transcripts import (
    Segment,
    SegmentEdit,
    SpeakerRole,
    Transcript,
    TranscriptSource,
    TranscriptSpeaker,
    TranscriptStatus,
)

__all__ = [
    "ANSWERS",
    "ASKED",
    "MAX_LENGTH_MINUTES",
    "MAX_WHYS",
    "NOTE_MAX_LENGTH",
    "REDACTED",
    "SAID_KINDS",
    "CalendarFeed",
    "ChecklistItem",
    "Consent",
    "ConsentAnswer",
    "ConsentRecord",
    "ConsentTopic",
    "ConsentWay",
    "Interview",
    "InterviewState",
    "InterviewStatus",
    "LiveEvent",
    "Mode",
    "Note",
    "NoteKind",
    "NoteSource",
    "Presence",
    "QuestionState",
    "QuestionStatus",
    "QueuedQuestion",
    "Recording",
    "RecordingStatus",
    "Redaction",
    "RedactionReason",
    "Segment",
    "SegmentEdit",
    "SpeakerRole",
    "TeamMember",
    "TeamRole",
    "Transcript",
    "TranscriptSource",
    "TranscriptSpeaker",
    "TranscriptStatus",
    "held",
    "interviewers_of",
    "minutes_label",
    "validate_time_zone",
]
