"""Transcription with the real faster-whisper and the tiny.en model, on speech made by the
tests and on the shared sample recordings."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest

from heard.interviews.transcripts.document import TranscriptDocument
from heard.interviews.transcripts.engine import TranscriptionCancelled, transcribe
from heard.interviews.transcripts.engine.whisper import (
    FasterWhisperEngine,
    WhisperSetup,
    cpu_batch_size,
    piece_memory,
)
from tests.support.fixtures.speech import ASK_NOT, HORIZON, INVOICES, WIZARD
from tests.support.speech import encode, sample, sox


def words(text: str) -> str:
    return " ".join(re.findall(r"[a-z']+", text.lower()))


def said(document: TranscriptDocument, speaker: str | None = None) -> str:
    return words(
        " ".join(s.text for s in document.segments if speaker is None or s.speaker == speaker)
    )


def test_the_transcript_holds_what_was_said_timed_word_by_word(clips, tiny_model):
    document = transcribe(clips.phrase, model=tiny_model)
    assert "country can do for you" in said(document)
    assert "customers about their invoices" in said(document)
    assert document.language == "en"
    assert document.speakers == []  # one voice in one channel: no speaker to name
    for segment in document.segments:
        assert 0 <= segment.start < segment.end <= 7
        assert segment.words
        assert segment.words[0].start >= segment.start - 0.5
        assert [w.start for w in segment.words] == sorted(w.start for w in segment.words)
    assert words(ASK_NOT + " " + INVOICES).split()[-1] in said(document)


def test_segments_and_progress_come_as_they_are_made(clips, tiny_model):
    segments, progress = [], []
    document = transcribe(
        clips.long,
        model=tiny_model,
        on_segment=segments.append,
        on_progress=lambda done, total: progress.append((done, total)),
    )
    assert len(segments) >= 3
    assert segments == document.segments
    assert said(document).count("country can do for you") == 3
    starts = [segment.start for segment in segments]
    assert starts == sorted(starts)
    dones = [done for done, _total in progress]
    assert dones == sorted(dones)
    assert len(progress) > len(segments)  # after segments, and at the end
    total = progress[-1][1]
    assert progress[-1][0] == total
    assert 24 < total < 28


def test_cancel_stops_between_segments_and_keeps_what_was_done(clips, tiny_model):
    stop = threading.Event()
    with pytest.raises(TranscriptionCancelled) as raised:
        transcribe(clips.long, model=tiny_model, cancel=stop, on_segment=lambda _s: stop.set())
    assert len(raised.value.document.segments) == 1
    assert raised.value.document.segments[0].end < 10


def test_cancel_before_anything_is_decoded(clips, tiny_model):
    with pytest.raises(TranscriptionCancelled) as raised:
        transcribe(clips.long, model=tiny_model, cancel=lambda: True)
    assert raised.value.document.segments == []


def test_two_channels_give_two_speakers_each_with_their_words(clips, tiny_model):
    document = transcribe(clips.two_speakers, model=tiny_model)
    assert document.speakers == ["Channel 1", "Channel 2"]
    assert "complaint against the wizard" in said(document, "Channel 1")
    assert "horizon seems extremely distant" in said(document, "Channel 2")
    assert "horizon" not in said(document, "Channel 1")
    assert "wizard" not in said(document, "Channel 2")
    horizon = next(s for s in document.segments if s.speaker == "Channel 2")
    assert horizon.start >= 3.5  # the right channel speaks four seconds in


def test_channels_take_the_names_given(clips, tiny_model):
    document = transcribe(clips.two_speakers, model=tiny_model, speakers=["Ana", "Bo"])
    assert document.speakers == ["Ana", "Bo"]
    assert words(WIZARD).split()[-1] in said(document, "Ana")
    assert words(HORIZON).split()[-1] in said(document, "Bo")


def test_identical_channels_are_one_speaker(clips, tiny_model):
    document = transcribe(clips.dual_mono, model=tiny_model)
    assert document.speakers == []
    assert said(document).count("country can do for you") == 1


def test_sound_in_a_video_file_is_transcribed(clips, tiny_model, tmp_path):
    video = encode(clips.phrase, tmp_path / "call.mp4", codec="aac", video=True)
    assert "customers about their invoices" in said(transcribe(video, model=tiny_model))


def test_a_file_object_is_read_as_a_path_is(clips, tiny_model, tmp_path):
    opus = encode(clips.phrase, tmp_path / "call.ogg", codec="libopus")
    with opus.open("rb") as handle:
        document = transcribe(handle, model=tiny_model)
    assert "country can do for you" in said(document)


def test_the_model_is_loaded_once_per_process(tiny_model):
    first = FasterWhisperEngine(WhisperSetup.from_settings(model=tiny_model))
    second = FasterWhisperEngine(WhisperSetup.from_settings(model=tiny_model))
    assert first.model is second.model
    assert first.resolved.compute_type == "int8"
    assert first.resolved.device == "cpu"
    assert first.resolved.threads >= 1


def test_the_settings_name_the_model_by_default(clips, settings, tiny_model):
    settings.HEARD_WHISPER_MODEL = tiny_model
    assert "country can do for you" in said(transcribe(clips.phrase))


def test_jfk_sample(tiny_model):
    document = transcribe(sample("audio", "jfk.flac"), model=tiny_model)
    assert "ask not what your country can do for you" in said(document)
    assert document.speakers == []  # its two channels are the same


def test_stereo_sample_gives_one_speaker_per_channel(tiny_model):
    document = transcribe(sample("audio", "stereo_diarization.wav"), model=tiny_model)
    assert document.speakers == ["Channel 2", "Channel 1"]  # the right one finishes first
    assert "confused complaint against the wizard" in said(document, "Channel 1")
    assert "horizon seems extremely distant" in said(document, "Channel 2")


@pytest.fixture(scope="module")
def minute(clips, tmp_path_factory) -> Path:
    """The phrase eight times with pauses between: about 68 s, long enough to be batched."""
    path = tmp_path_factory.mktemp("minute") / "minute.wav"
    sox(*[clips.long] * 3, path, "trim", "0", "68")
    return path


@pytest.fixture
def batched_calls(monkeypatch) -> list[float]:
    """The seconds of sound of every stretch faster-whisper's batched pipeline decodes."""
    from faster_whisper import BatchedInferencePipeline

    calls: list[float] = []
    decode = BatchedInferencePipeline.transcribe

    def counted(self, audio, *args, **kwargs):
        calls.append(len(audio) / 16_000)
        return decode(self, audio, *args, **kwargs)

    monkeypatch.setattr(BatchedInferencePipeline, "transcribe", counted)
    return calls


def test_a_minute_or_more_is_decoded_in_batches_each_segment_as_it_comes(
    minute, tiny_model, batched_calls
):
    events: list[tuple[str, float]] = []
    document = transcribe(
        minute,
        model=tiny_model,
        on_segment=lambda segment: events.append(("segment", segment.end)),
        on_progress=lambda done, _total: events.append(("progress", done)),
    )
    assert len(batched_calls) == 1
    assert 67 < batched_calls[0] < 69
    assert said(document).count("ask not what your country can do for you") >= 7
    # Seven whole phrases and the start of an eighth; tiny.en, decoding pieces of up to 30 s
    # without timestamps, may drop the last sentence of a piece, and hears the words after
    # "customers" differently from piece to piece ("customers about", "customers' amount").
    assert said(document).count("customers") >= 6
    segments = document.segments
    assert len(segments) >= 2  # pieces of up to 30 s, each its own segment
    assert [s.start for s in segments] == sorted(s.start for s in segments)
    for segment in segments:
        assert segment.words
        assert 0 <= segment.start < segment.end <= 69
    # Progress moves on with every segment, not only when the whole stretch is done.
    done_at_segment, done = [], 0.0
    for kind, value in events:
        if kind == "progress":
            done = value
        else:
            done_at_segment.append(done)
    assert len(done_at_segment) == len(segments)
    assert done_at_segment == sorted(set(done_at_segment))
    assert done_at_segment[0] < 60
    assert events[-1][1] == pytest.approx(68, abs=0.1)


def test_cancel_stops_a_batched_stretch_between_segments(minute, tiny_model, batched_calls):
    stop = threading.Event()
    with pytest.raises(TranscriptionCancelled) as raised:
        transcribe(minute, model=tiny_model, cancel=stop, on_segment=lambda _s: stop.set())
    assert batched_calls
    assert len(raised.value.document.segments) == 1
    assert raised.value.document.segments[0].end < 40


def test_short_clips_stay_sequential_and_a_window_is_one_batch(tiny_model):
    engine = FasterWhisperEngine(WhisperSetup.from_settings(model=tiny_model))
    assert engine.resolved.device == "cpu"
    # As many pieces as 1 GiB holds, at 92 MB each for tiny.en: a five-minute window's.
    assert engine.resolved.batch_size == 11
    assert cpu_batch_size(Path(tiny_model)) == 11
    assert not engine.resolved.batched(59.9)
    assert engine.resolved.batched(60.0)
    never = FasterWhisperEngine(WhisperSetup.from_settings(model=tiny_model, batch_size=0))
    assert not never.resolved.batched(3600.0)


def test_a_model_file_that_cannot_be_read_batches_one_piece_at_a_time(tmp_path, tiny_model):
    assert piece_memory(Path(tiny_model) / "model.bin") == 4 * 5 * 1500 * 768 * 4
    (tmp_path / "model.bin").write_bytes(b"\x06\x00\x00\x00\xff")
    assert piece_memory(tmp_path / "model.bin") == 0
    assert cpu_batch_size(tmp_path) == 1


def test_a_recording_of_several_channels_is_decoded_once(clips, tiny_model, monkeypatch):
    from heard.interviews.transcripts.engine import audio

    opened: list[object] = []
    decode = audio._decoded

    def counted(source, info, *, mono):
        opened.append(source)
        return decode(source, info, mono=mono)

    monkeypatch.setattr(audio, "_decoded", counted)
    for recording in (clips.two_speakers, clips.dual_mono):
        transcribe(recording, model=tiny_model)
    assert opened == [clips.two_speakers, clips.dual_mono]


def test_the_same_sound_gives_the_same_words_every_time(clips, tiny_model):
    # The clip repeats one phrase three times: the decoder's fallback to sampling (which
    # such repetition sets off) once made its words differ from run to run, or vanish.
    runs = [transcribe(clips.long, model=tiny_model, language="en") for _ in range(4)]
    texts = [[(s.start, s.text) for s in document.segments] for document in runs]
    assert all(text == texts[0] for text in texts)
    assert said(runs[0]).count("country can do for you") == 3


class _Said:
    """A word as faster-whisper gives it."""

    def __init__(self, word: str, start: float, end: float) -> None:
        self.word, self.start, self.end, self.probability = word, start, end, 0.9


class _Piece:
    def __init__(self, words: list[_Said]) -> None:
        self.words = words
        self.text = "".join(word.word for word in words)
        self.start, self.end = words[0].start, words[-1].end


def test_a_long_decoded_piece_becomes_a_line_per_sentence_and_pause():
    from heard.interviews.transcripts.engine.whisper import _converted

    piece = _Piece(
        [
            _Said(" Hi,", 0.0, 0.4),
            _Said(" Bo.", 0.5, 0.9),
            _Said(" Is", 1.0, 1.2),
            _Said(" it", 1.2, 1.3),
            _Said(" fine?", 1.3, 1.8),
            _Said(" Tell", 6.0, 6.3),  # after the other speaker's answer
            _Said(" me", 6.3, 6.4),
            _Said(" more", 6.4, 6.8),
        ]
    )
    lines = list(_converted([piece]))
    assert [(line.text, line.start, line.end) for line in lines] == [
        ("Hi, Bo.", 0.0, 0.9),
        ("Is it fine?", 1.0, 1.8),
        ("Tell me more", 6.0, 6.8),
    ]
    assert [word.text for word in lines[1].words] == ["Is", "it", "fine?"]
    # Without spaces between its words (Japanese), a line keeps them as they were.
    japanese = _Piece(
        [_Said("こんにちは。", 0.0, 1.0), _Said("元気", 1.1, 1.5), _Said("ですか\uff1f", 1.5, 2.0)]
    )
    assert [line.text for line in _converted([japanese])] == ["こんにちは。", "元気ですか\uff1f"]
