"""Everything Heard holds about a participant, as one ZIP: `index.json` (every record, in
plain keys), `index.html` (the same, to read), and the recordings of their interviews as they
were uploaded. Written a piece at a time into the response (`ZipStream`), recordings read from
storage a block at a time, so a study's hours of audio never sit in memory."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from typing import IO, Any, cast

from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone

from heard.followups.models import FollowUp
from heard.interviews.models import ConsentRecord, Interview, Note, Recording, Segment
from heard.participants.models import Participant
from heard.synthesis.models import PointSummary, Quote, Summary

BLOCK = 1024 * 1024


class ZipStream:
    """A file ZipFile writes into, whose bytes are taken out as they come (ZipFile writes
    an unseekable stream with data descriptors, as streaming needs)."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.written = 0

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        self.written += len(data)
        return len(data)

    def tell(self) -> int:
        return self.written

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def _when(moment: Any) -> str | None:
    return moment.isoformat() if moment else None


def records(participant: Participant) -> dict[str, Any]:
    """Everything about the participant, as JSON-ready values."""
    interviews = list(
        Interview.objects.filter(participant=participant)
        .select_related("study")
        .order_by("starts_at", "pk")
    )
    ids = [interview.pk for interview in interviews]
    notes = Note.objects.filter(interview_id__in=ids, deleted_at__isnull=True).order_by(
        "interview_id", "elapsed_seconds", "created_at"
    )
    lines = Segment.objects.filter(transcript__interview_id__in=ids).select_related(
        "speaker", "transcript"
    )
    summaries = {s.interview_id: s for s in Summary.objects.filter(interview_id__in=ids)}
    cells = PointSummary.objects.filter(summary__interview_id__in=ids).select_related(
        "point", "summary"
    )
    quotes = Quote.objects.filter(point_summary__summary__interview_id__in=ids).select_related(
        "point_summary__point", "point_summary__summary"
    )
    by_interview: dict[int, dict[str, Any]] = {
        interview.pk: {
            "id": interview.pk,
            "study": interview.study.title,
            "starts_at": _when(interview.starts_at),
            "time_zone": interview.time_zone,
            "status": interview.status,
            "mode": interview.mode,
            "notes": [],
            "transcript_lines": [],
            "summary": None,
            "quotes": [],
            "follow_up_emails": [],
            "consent": [],
            "recordings": [],
        }
        for interview in interviews
    }
    for note in notes:
        by_interview[note.interview_id]["notes"].append(
            {
                "kind": note.kind,
                "text": note.text,
                "minute": note.elapsed_seconds // 60,
                "from_transcript": note.source == "recording",
            }
        )
    for line in lines.order_by("transcript_id", "index").iterator(2000):
        by_interview[line.transcript.interview_id]["transcript_lines"].append(
            {
                "transcript": line.transcript_id,
                "start_ms": line.start_ms,
                "end_ms": line.end_ms,
                "speaker": line.speaker.label if line.speaker else "",
                "text": line.text,
            }
        )
    for interview_id, summary in summaries.items():
        by_interview[interview_id]["summary"] = {
            "main_pains": summary.main_pains,
            "solution_requests": summary.solution_requests,
            "surprises": summary.surprises,
            "follow_ups": summary.follow_ups,
            "points": [],
        }
    for cell in cells:
        by_interview[cell.summary.interview_id]["summary"]["points"].append(
            {
                "point": cell.point.statement,
                "stance": cell.stance,
                "what_we_heard": cell.what_we_heard,
            }
        )
    for quote in quotes:
        by_interview[quote.point_summary.summary.interview_id]["quotes"].append(
            {"point": quote.point_summary.point.statement, "text": quote.text}
        )
    for mail in FollowUp.objects.filter(interview_id__in=ids).order_by("created_at"):
        by_interview[mail.interview_id]["follow_up_emails"].append(
            {
                "to": mail.to_email,
                "subject": mail.subject,
                "body": mail.body,
                "status": mail.status,
                "sent_at": _when(mail.sent_at),
            }
        )
    for record in ConsentRecord.objects.filter(interview_id__in=ids).order_by("recorded_at"):
        by_interview[record.interview_id]["consent"].append(
            {
                "topic": record.topic,
                "answer": record.answer,
                "asked": record.asked,
                "how": record.way,
                "answered_at": _when(record.answered_at),
                "note": record.note,
            }
        )
    for recording in _recordings(ids):
        by_interview[recording.interview_id]["recordings"].append(
            {
                "file": _archive_name(recording),
                "name": recording.original_name,
                "bytes": recording.size,
                "seconds": recording.duration,
            }
        )
    return {
        "exported_at": timezone.now().isoformat(),
        "participant": {
            "name": participant.name,
            "email": participant.email,
            "company": participant.company,
            "role": participant.role,
            "segment": participant.segment,
            "profile": participant.profile,
            "may_contact_again": participant.recontact,
            "added": _when(participant.created_at),
        },
        "research_notes": [
            {"source": n.source, "noted_on": str(n.noted_on), "text": n.body, "url": n.url}
            for n in participant.notes.order_by("noted_on", "pk")
        ],
        "interviews": list(by_interview.values()),
    }


def _recordings(interview_ids: list[int]) -> list[Recording]:
    return list(
        Recording.objects.filter(interview_id__in=interview_ids)
        .exclude(original="")
        .order_by("interview_id", "pk")
    )


def _archive_name(recording: Recording) -> str:
    stored = recording.original.name or ""
    suffix = stored.rsplit(".", 1)[-1] if "." in stored else "bin"
    return f"recordings/interview-{recording.interview_id}-{recording.pk}.{suffix}"


def archive(participant: Participant) -> Iterator[bytes]:
    """The ZIP, a piece at a time."""
    data = records(participant)
    out = ZipStream()
    with zipfile.ZipFile(cast(IO[bytes], out), "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("index.json", json.dumps(data, ensure_ascii=False, indent=2))
        yield out.take()
        zipped.writestr("index.html", render_to_string("privacy/subject_access.html", data))
        yield out.take()
        for recording in _recordings([i["id"] for i in data["interviews"]]):
            info = zipfile.ZipInfo(_archive_name(recording), date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED  # audio does not compress
            with (
                default_storage.open(recording.original.name or "", "rb") as source,
                zipped.open(info, "w", force_zip64=True) as target,
            ):
                while block := source.read(BLOCK):
                    target.write(block)
                    yield out.take()
    yield out.take()
