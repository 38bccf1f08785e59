"""Real transcripts from other tools, kept beside the repository (not in it): each imports
with its speakers and sensible times, and the files broken on purpose (edge-invalid_*) are
read with warnings. Skipped where the samples are not there."""

from __future__ import annotations

from pathlib import Path

import pytest

from heard.interviews.transcripts.formats import read_path

REPOSITORY = Path(__file__).resolve().parents[2]
SAMPLES = REPOSITORY.parent / "shared" / "samples" / "transcripts"

# name: (format, speakers in order of first speech, segments, first start, last end)
EXPECTED: dict[str, tuple[str, list[str], int, float | None, float | None]] = {
    "edge-captions_with_bom.vtt": ("vtt", [], 4, 0.5, 21.58),
    "edge-comments.vtt": ("vtt", [], 3, 135.0, 150.0),
    "edge-cue_tags.vtt": ("vtt", [], 3, 16.5, 21.5),
    "edge-invalid_no_header.vtt": ("vtt", [], 7, 0.5, 30.28),
    "edge-invalid_timeframe.vtt": ("vtt", [], 6, 0.5, 30.28),
    "edge-missing_caption_text.vtt": ("vtt", [], 4, 0.5, 23.88),
    "edge-youtube_dl.vtt": ("vtt", [], 3, 286.07, 305.4),
    "google-meet-transcript.md": ("txt", ["Harry Rook", "Scott Lilliston"], 21, None, None),
    "revai.json": ("rev-json", ["Speaker 0"], 2, 0.3, 106.33),
    "teams-voice-tags.vtt": ("vtt", ["Yuri Bakulin", "Adrian Petrescu"], 2, 0.0, 1.13),
    "youtube.sbv": ("sbv", [], 5, 0.378, 17.484),
    "zoom-closed-captions.vtt": ("vtt", [], 100, 68.0, None),
    "zoom-cloud-transcript.vtt": (
        "vtt",
        ["Srijani Ghosh", "Conor Healy", "Dr. Melissa Ko"],
        102,
        0.05,
        None,
    ),
}
# What each file broken on purpose must warn about.
BROKEN = {
    "edge-invalid_no_header.vtt": "does not start with WEBVTT",
    "edge-invalid_timeframe.vtt": "Cue 2 (line 6): '00:00:07.000 --> 00:00:1d.890' is not a valid time",
    "edge-missing_caption_text.vtt": "Cue 2 (line 6) has no text",
    "youtube.sbv": "Cue 5 (line 14) ends before it starts",
}

pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason="the shared samples are not here")


def test_every_sample_is_expected():
    assert sorted(path.name for path in SAMPLES.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_sample_imports(name):
    fmt, speakers, count, first_start, last_end = EXPECTED[name]
    document = read_path(SAMPLES / name)
    assert document.source_format == fmt
    assert document.speakers[: len(speakers)] == speakers
    assert len(document.segments) == count
    assert document.segments[0].start == first_start
    if last_end is not None:
        assert document.duration == pytest.approx(last_end)
    starts = [s.start for s in document.segments if s.start is not None]
    assert starts == sorted(starts)
    for segment in document.segments:
        assert segment.text.strip()
        assert "<" not in segment.text  # no markup left
        if segment.timed:
            assert 0 <= segment.start <= segment.end < 4 * 3600  # type: ignore[operator]
    if name in BROKEN:
        assert any(BROKEN[name] in warning for warning in document.warnings), document.warnings
    else:
        assert document.warnings == []
