"""The interviews app's models: scheduling (schedule.py), the live call (live.py), its
recordings (recordings.py) and transcripts (transcripts.py)."""

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
    "validate_time_zone",
]
