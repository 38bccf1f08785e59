"""Files that cannot be transcribed are refused with a reason, before any model is loaded."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from heard.interviews.transcripts.engine import TranscriptionError, probe, transcribe
from heard.interviews.transcripts.engine.audio import SAMPLE_RATE, mixed, windows
from heard.interviews.transcripts.engine.catalogue import CATALOGUE, resolve
from heard.interviews.transcripts.engine.errors import ModelError
from tests.support.speech import encode, sox


def refused(path, tiny_model) -> str:
    with pytest.raises(TranscriptionError) as raised:
        transcribe(path, model=tiny_model)
    message = str(raised.value)
    assert "\n" not in message
    return message


def test_a_text_file_named_mp3(tmp_path, tiny_model):
    path = tmp_path / "notes.mp3"
    path.write_text("Interview notes, not a recording.\n" * 20)
    assert "not an audio or video file" in refused(path, tiny_model)


def test_random_bytes_named_wav(tmp_path, tiny_model):
    path = tmp_path / "noise.wav"
    path.write_bytes(bytes(range(256)) * 64)
    assert "not an audio or video file" in refused(path, tiny_model)


def test_an_empty_file(tmp_path, tiny_model):
    path = tmp_path / "empty.m4a"
    path.touch()
    assert refused(path, tiny_model) == "empty.m4a is empty (0 bytes)."


def test_a_missing_file(tmp_path, tiny_model):
    assert refused(tmp_path / "gone.wav", tiny_model) == "gone.wav: no such file."


def test_a_recording_of_zero_seconds(tmp_path, tiny_model):
    path = tmp_path / "zero.wav"
    sox("-n", "-r", "16000", "-c", "1", path, "trim", "0", "0")
    assert "lasts 0 seconds" in refused(path, tiny_model)


def test_a_video_without_sound(clips, tmp_path, tiny_model):
    path = encode(clips.phrase, tmp_path / "screen.mp4", codec="aac", video=True, audio=False)
    assert refused(path, tiny_model) == "screen.mp4 holds video but no sound to transcribe."


def test_a_flac_file_cut_off_halfway(clips, tmp_path, tiny_model):
    whole = tmp_path / "whole.flac"
    sox(clips.long, whole)
    cut = tmp_path / "cut.flac"
    data = whole.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    message = refused(cut, tiny_model)
    assert "cut.flac is cut off: its sound stops at 0:1" in message
    assert "of the 0:2" in message


def test_an_mp4_file_cut_off_before_its_index(clips, tmp_path, tiny_model):
    whole = encode(clips.phrase, tmp_path / "whole.m4a", codec="aac")
    cut = tmp_path / "cut.m4a"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    assert "cut.m4a" in refused(cut, tiny_model)


def test_probe_says_what_a_recording_holds(clips):
    info = probe(clips.two_speakers)
    assert (info.channels, info.sample_rate, info.codec) == (2, 16000, "pcm_s16le")
    assert 6 < info.duration < 8
    assert not info.has_video


def test_windows_cover_the_sound_and_end_in_a_pause(clips):
    info = probe(clips.long)
    parts = list(windows(clips.long, info, mono=True, window_s=10.0))
    assert len(parts) >= 2
    total = sum(part.samples.shape[1] for part in parts)
    assert abs(total / SAMPLE_RATE - info.duration) < 0.05
    for before, after in itertools.pairwise(parts):
        assert after.start == pytest.approx(before.end)
        edge = before.samples[0, -800:]  # the 50 ms before the cut
        assert float(abs(edge).max()) < 0.01  # silence, not a word


def test_a_model_name_outside_the_catalogue(tiny_model):
    with pytest.raises(ModelError, match="Unknown model 'huge'"):
        resolve("huge")


def test_a_folder_that_holds_no_model(tmp_path):
    with pytest.raises(ModelError, match="is not a CTranslate2 speech model folder"):
        resolve(str(tmp_path))
    with pytest.raises(ModelError, match="No model folder at"):
        resolve(str(tmp_path / "nothing"))


def test_a_catalogue_model_not_yet_fetched_is_not_fetched_but_says_how():
    with pytest.raises(ModelError, match="heard models fetch tiny"):
        resolve("tiny")


def test_every_catalogue_name_is_one_faster_whisper_knows():
    from faster_whisper.utils import available_models

    assert set(CATALOGUE) <= set(available_models())


def test_channels_mixed_after_decoding_are_the_sound_decoded_to_one(clips):
    for recording in (clips.two_speakers, clips.dual_mono):
        info = probe(recording)
        (one,) = windows(recording, info, mono=True)
        (both,) = windows(recording, info, mono=False)
        assert both.samples.shape[0] == 2
        assert np.array_equal(mixed(both, info.layout).samples, one.samples)
