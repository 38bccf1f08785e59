"""The rules of recordings: who may add one to which interview, the upload from its first
piece to the stored file, the playback copy, deleting.

An upload starts (`start_upload`) with the file's name and size, after the consent check;
pieces arrive (`receive`), and the last one has the file probed and moved into storage, or
refused with the reason and nothing kept. The playback copy is made by a task
(`tasks.make_playback`), never in the request.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from heard.accounts.models import User
from heard.core import storage
from heard.core.downloads import uploaded_name
from heard.interviews.live.milestones import confirm_consent_afterwards
from heard.interviews.models import (
    Consent,
    Interview,
    Recording,
    RecordingStatus,
    Redaction,
    Transcript,
    TranscriptStatus,
)
from heard.interviews.models.transcripts import UNFINISHED
from heard.interviews.recordings import uploads
from heard.interviews.recordings.playback import EXTENSION as PLAYBACK_EXTENSION
from heard.interviews.recordings.playback import PlaybackError, make_playback_copy
from heard.interviews.recordings.probe import ProbeError, probe

HASH_BLOCK = 1024 * 1024
CONSENT_DECLINED = (
    "The participant declined to be recorded: this interview takes no recording. "
    "If they agreed later, record their answer on the live screen first."
)
CONSENT_UNKNOWN = (
    "The call recorded no answer on consent to record. Confirm that the participant agreed "
    "to be recorded before you add a recording."
)


class UploadRefused(Exception):
    """The upload is refused, or its file is not taken; the message says why."""


def recordings_of(interview: Interview) -> QuerySet[Recording]:
    """The interview's recordings, each knowing whether words of it are redacted."""
    return interview.recordings.select_related("uploaded_by", "consent_confirmed_by").annotate(
        redacted=Exists(Redaction.objects.filter(recording=OuterRef("pk")))
    )


def consent_refusal(interview: Interview, *, confirmed: bool) -> str:
    """Why a recording may not be added to `interview` now; "" when it may."""
    if interview.is_cancelled:
        return "This interview is cancelled: there is no call to record."
    if interview.recording_consent == Consent.NO:
        return CONSENT_DECLINED
    if interview.recording_consent != Consent.YES and not confirmed:
        return CONSENT_UNKNOWN
    return ""


def purge_abandoned() -> int:
    """Throw away uploads left unfinished for longer than a day (their rows and part files),
    and part files no upload owns. Run whenever anyone starts an upload."""
    now = time.time()
    horizon = now - uploads.ABANDONED_AFTER.total_seconds()
    stale = Recording.objects.filter(
        status=RecordingStatus.UPLOADING,
        created_at__lt=timezone.now() - uploads.ABANDONED_AFTER,
    )
    purged = 0
    for recording in stale:
        idle = uploads.idle_since(recording.key)
        if idle is None or idle < horizon:
            uploads.discard(recording.key)
            purged += Recording.objects.filter(pk=recording.pk).delete()[0]
    keys = set(
        Recording.objects.filter(status=RecordingStatus.UPLOADING).values_list("key", flat=True)
    )
    for part in storage.scratch_folder().glob("recording-*.part"):
        key = part.name.removeprefix("recording-").removesuffix(".part")
        if key not in keys and part.stat().st_mtime < horizon:
            part.unlink(missing_ok=True)
    return purged


def start_upload(
    interview: Interview, user: User, name: str, size: int, *, consent_confirmed: bool
) -> Recording:
    """A new upload of a file of `size` bytes, or the same person's unfinished upload of the
    same file to resume. UploadRefused with the reason otherwise."""
    refusal = consent_refusal(interview, confirmed=consent_confirmed)
    if refusal:
        raise UploadRefused(refusal)
    if size <= 0:
        raise UploadRefused("The file is empty.")
    if size > settings.HEARD_RECORDING_MAX_BYTES:
        raise UploadRefused(
            f"The file is {filesizeformat(size)}; Heard takes recordings up to "
            f"{filesizeformat(settings.HEARD_RECORDING_MAX_BYTES)}."
        )
    purge_abandoned()
    shown_name = uploaded_name(name, "recording")
    unfinished = Recording.objects.filter(
        interview=interview,
        uploaded_by=user,
        status=RecordingStatus.UPLOADING,
        original_name=shown_name,
        size=size,
    ).first()
    if unfinished is not None:
        return unfinished
    with transaction.atomic():
        recording = Recording(
            interview=interview, original_name=shown_name, size=size, uploaded_by=user
        )
        if interview.recording_consent != Consent.YES:
            confirm_consent_afterwards(interview, user)
            recording.consent_confirmed_by = user
            recording.consent_confirmed_at = timezone.now()
        recording.save()
    return recording


def receive(recording: Recording, offset: int, body: uploads.Readable) -> Recording:
    """Append a piece of the upload; with the last piece, probe the file and store it.
    Gap when the piece starts past what arrived; UploadRefused (the upload gone, nothing
    kept) when the file is more than it said or not a recording Heard takes."""
    with uploads.open_part(recording.key) as part:
        current = Recording.objects.filter(pk=recording.pk).first()
        if current is None:
            part.discard()
            raise UploadRefused("This upload was cancelled.")
        if current.status != RecordingStatus.UPLOADING:
            return current  # the last piece, sent again: it is done already
        try:
            size = part.append(offset, body, current.size)
        except uploads.TooLong:
            _drop(current, part)
            raise UploadRefused(
                "The file sent is longer than the upload said: it changed while it was being "
                "sent. Choose it again."
            ) from None
        if size == current.size:
            _finish(current, part)
            current.refresh_from_db()  # a task run at once may have made the copy already
        return current


def _drop(recording: Recording, part: uploads.Part) -> None:
    part.discard()
    Recording.objects.filter(pk=recording.pk).delete()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(HASH_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def _finish(recording: Recording, part: uploads.Part) -> None:
    """The whole file arrived: probe it, keep it in storage and have the copy made."""
    try:
        found = probe(part.path)
    except ProbeError as error:
        _drop(recording, part)
        raise UploadRefused(str(error)) from None
    recording.sha256 = _sha256(part.path)
    folder = f"recordings/{recording.interview_id}"
    recording.original.name = storage.store(
        f"{folder}/{recording.key}.{found.container}", part.path
    )
    recording.content_type = found.content_type
    recording.duration = found.duration
    recording.container = found.container
    recording.audio_codec = found.audio_codec
    recording.video_codec = found.video_codec
    recording.channels = found.channels
    recording.sample_rate = found.sample_rate
    recording.has_video = found.has_video
    recording.status = RecordingStatus.PROCESSING
    recording.uploaded_at = timezone.now()
    # The row and its task are one transaction (the task queue is a table).
    with transaction.atomic():
        recording.save()
        from heard.interviews.recordings.tasks import make_playback  # the task imports this

        make_playback.enqueue(recording.pk)


def requeue_processing(**_: Any) -> int:
    """Hand every recording still waiting for its playback copy to a new task; run as a worker
    starts (`core.worker.worker_starting`). A worker killed while it held the task leaves it
    taken for ever and the recording "processing". A second task for a copy already under way
    does the work twice at worst: each run writes a file of its own, the first to finish is
    kept (a conditional update) and the other deletes its copy."""
    from heard.interviews.recordings.tasks import make_playback  # the task imports this

    waiting = list(
        Recording.objects.filter(status=RecordingStatus.PROCESSING).values_list("pk", flat=True)
    )
    for recording_id in waiting:
        make_playback.enqueue(recording_id)
    return len(waiting)


def make_playback(recording_id: int) -> str:
    """The background task's whole job: decode the original and store the playback copy.
    A file that cannot be decoded to the end fails with the reason, and its original goes
    (nothing half-usable is kept). Returns the status it ends in."""
    recording = Recording.objects.filter(pk=recording_id).first()
    if recording is None or recording.status != RecordingStatus.PROCESSING:
        return recording.status if recording else "gone"
    while True:
        # A name of this run's own: a second run of the same task (queued again as a worker
        # started) may be making the same copy beside it.
        run = uuid.uuid4().hex[:8]
        target = (
            storage.scratch_folder() / f"recording-{recording.key}-{run}-play.{PLAYBACK_EXTENSION}"
        )
        silence = Redaction.objects.silenced(recording.pk)
        try:
            with storage.local_copy(recording.original.name) as source:
                make_playback_copy(source, target, silence)
        except PlaybackError as error:
            storage.delete(recording.original.name)
            Recording.objects.filter(pk=recording.pk).update(
                status=RecordingStatus.FAILED, failure_reason=str(error), original=""
            )
            return RecordingStatus.FAILED
        with transaction.atomic():
            # Under the row's lock, which a redaction takes too: a copy made before a
            # redaction committed is made again with its span silent.
            current = Recording.objects.select_for_update().filter(pk=recording.pk).first()
            if current is not None and Redaction.objects.silenced(current.pk) != silence:
                target.unlink(missing_ok=True)
                continue
            if current is None or current.status != RecordingStatus.PROCESSING:
                target.unlink(missing_ok=True)  # deleted, or another run finished first
                return current.status if current is not None else "gone"
            name = storage.store(
                f"recordings/{recording.interview_id}/{recording.key}-play.{PLAYBACK_EXTENSION}",
                target,
            )
            Recording.objects.filter(pk=recording.pk).update(
                status=RecordingStatus.READY, playback=name
            )
            return RecordingStatus.READY


def make_playback_again(recording: Recording) -> None:
    """Make the playback copy anew (a redaction silenced more of it), in the caller's
    transaction: the recording is processing until the new copy is made, so nobody plays the
    sound that was redacted, and the current copy goes once the transaction commits."""
    from heard.interviews.recordings.tasks import make_playback  # the task imports this

    locked = Recording.objects.select_for_update().filter(pk=recording.pk).first()
    if locked is None or locked.status not in (RecordingStatus.READY, RecordingStatus.PROCESSING):
        return
    old = locked.playback.name
    Recording.objects.filter(pk=locked.pk).update(status=RecordingStatus.PROCESSING, playback="")
    make_playback.enqueue(locked.pk)
    if old:
        transaction.on_commit(lambda: storage.delete(old))


def delete_recording(recording: Recording, *, with_transcripts: bool = False) -> None:
    """Delete the recording: its row, its original, its playback copy, an unfinished upload's
    part; the files go once the row's deletion is committed. Its transcripts stay (what was
    said, without the sound) unless `with_transcripts`; a transcription still running stops."""
    names = (recording.original.name, recording.playback.name)
    key = recording.key
    with transaction.atomic():
        transcripts = Transcript.objects.filter(recording=recording)
        if with_transcripts:
            transcripts.delete()
        else:
            transcripts.filter(status__in=UNFINISHED).update(
                status=TranscriptStatus.CANCELLED,
                run_token="",
                finished_at=timezone.now(),
            )
        Recording.objects.filter(pk=recording.pk).delete()

        def remove_files() -> None:
            storage.delete(*names)
            uploads.discard(key)

        transaction.on_commit(remove_files)
