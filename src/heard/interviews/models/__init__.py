"""The interviews app's models: scheduling (schedule.py), the live call (live.py) and its
recordings (recordings.py)."""

from heard.interviews.models.live import (
    MAX_WHYS,
    NOTE_MAX_LENGTH,
    LiveEvent,
    Note,
    NoteKind,
    Presence,
    QuestionState,
    QuestionStatus,
    QueuedQuestion,
)
from heard.interviews.models.recordings import Recording, RecordingStatus
from heard.interviews.models.schedule import (
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

__all__ = [
    "MAX_WHYS",
    "NOTE_MAX_LENGTH",
    "ChecklistItem",
    "Consent",
    "Interview",
    "InterviewState",
    "InterviewStatus",
    "LiveEvent",
    "Mode",
    "Note",
    "NoteKind",
    "Presence",
    "QuestionState",
    "QuestionStatus",
    "QueuedQuestion",
    "Recording",
    "RecordingStatus",
    "TeamMember",
    "TeamRole",
    "held",
    "interviewers_of",
    "validate_time_zone",
]
