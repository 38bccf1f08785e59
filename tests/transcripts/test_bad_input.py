"""Files that are broken, empty, huge or not transcripts at all: read best-effort with
warnings that name what was skipped, or refused with one `TranscriptFormatError` whose
message says why; never anything else."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from heard.interviews.transcripts import formats
from heard.interviews.transcripts.formats import TranscriptFormatError, read, read_path

FIXTURES = Path(__file__).parent / "fixtures"


def test_malformed_vtt_reads_what_it_can_and_names_each_thing_skipped():
    """Mixed line endings, a bad time, an end before its start, an empty cue, a stray line."""
    document = read_path(FIXTURES / "malformed.vtt")
    assert [(s.start, s.end, s.text) for s in document.segments] == [
        (1.0, 2.0, "First cue."),
        (5.0, 5.0, "Ends before it starts."),
        (8.0, 9.0, "Last cue."),
    ]
    assert document.warnings == [
        "Line 18 is not part of any cue: skipped ('A stray line between cues.').",
        "Cue 2 (line 8): '00:00:02.000 --> 00:00:0x.000' is not a valid time: skipped, "
        "with its text 'Bad time.'.",
        "Cue 3 (line 12) ends before it starts (00:00:05.000 to 00:00:04.000): kept, "
        "ending where it starts.",
        "Cue 4 (line 16) has no text: skipped.",
    ]


def test_a_vtt_without_its_header_is_read_with_a_warning():
    document = read(b"00:00:01.000 --> 00:00:02.000\nHello.\n", "a.vtt")
    assert document.warnings == ["The file does not start with WEBVTT: read as WebVTT anyway."]


def test_cues_out_of_order_are_sorted_with_a_warning():
    data = b"1\n00:00:05,000 --> 00:00:06,000\nB\n\n2\n00:00:01,000 --> 00:00:02,000\nA\n"
    document = read(data)
    assert [s.text for s in document.segments] == ["A", "B"]
    assert document.warnings == [
        "Some cues were out of order: they are put in the order of their times."
    ]


def test_a_file_with_no_cue_that_can_be_read_says_so():
    with pytest.raises(TranscriptFormatError, match=r"No speech found.*Cue 1 \(line 3\)"):
        read(b"WEBVTT\n\n00:00:0x.000 --> 00:00:02.000\nHello.\n")


def test_heard_json_with_bad_segments_warns_for_each():
    data = {
        "format": "heard-transcript",
        "version": 1,
        "segments": [
            {"start": 0, "end": 1, "text": "Fine."},
            {"start": "0:01", "end": 2, "text": "A time as text."},
            {"start": True, "end": 2, "text": "A time as a boolean."},
            {"start": -3, "end": 2, "text": "Before the recording."},
            "not an object",
        ],
    }
    document = read(json.dumps(data).encode())
    assert [s.text for s in document.segments] == ["Fine."]
    assert document.warnings == [
        "Segment 2: its start or end is not a number of seconds: skipped.",
        "Segment 3: its start or end is not a number of seconds: skipped.",
        "Segment 4 has a time that is not a number of seconds from 0: skipped.",
        'Segment 5 is not an object with a "text": skipped.',
    ]


def test_a_later_version_of_heard_json_is_refused():
    data = json.dumps({"format": "heard-transcript", "version": 2, "segments": []}).encode()
    with pytest.raises(TranscriptFormatError, match="version 2 of Heard's JSON"):
        read(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty"),
        (b"  \n\n ", "The file is empty"),
        (bytes(range(256)) * 4, r"not text\). Heard reads: WebVTT \(\.vtt\), SubRip"),
        (b"Dear Ana,\nthanks for the call.\nBest, Bo\n", "text in none of the formats"),
        (b'{"hello": "world"}', "text in none of the formats"),
        (b"[" * 100_000, "text in none of the formats"),
        (b"PK\x03\x04 not really a zip", "not text"),
        (b"WEBVTT\n\nNOTE nothing else\n", "No speech found in this WebVTT file"),
    ],
)
def test_what_is_not_a_transcript_is_refused_in_words(data, message):
    with pytest.raises(TranscriptFormatError, match=message):
        read(data, "x.vtt")


def test_a_damaged_word_file_is_refused_in_words():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<not-closed>")
    with pytest.raises(TranscriptFormatError, match="This Word file could not be opened"):
        read(out.getvalue(), "x.docx")


def test_a_word_file_that_unpacks_to_too_much_is_refused_before_it_is_opened(monkeypatch):
    monkeypatch.setattr(formats.docx, "MAX_UNPACKED", 1000)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", " " * 5000)
    with pytest.raises(TranscriptFormatError, match="unpacks to 5,000 bytes"):
        read(out.getvalue(), "x.docx")


def test_a_file_past_the_size_limit_is_not_read_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(formats, "MAX_BYTES", 100)
    path = tmp_path / "big.vtt"
    path.write_bytes(b"WEBVTT\n\n" + b"00:01.000 --> 00:02.000\nHello.\n\n" * 10)
    with pytest.raises(TranscriptFormatError, match="more than the 100 Heard reads"):
        read_path(path)


def test_a_file_past_the_segment_limit_is_refused(monkeypatch):
    monkeypatch.setattr(formats.base.Reading.__init__, "__defaults__", (3,))
    data = b"WEBVTT\n\n" + b"00:01.000 --> 00:02.000\nHello.\n\n" * 4
    with pytest.raises(TranscriptFormatError, match="more than 3 segments"):
        read(data)


def test_a_missing_file_is_an_error_in_words(tmp_path):
    with pytest.raises(TranscriptFormatError, match="Cannot read the file: No such file"):
        read_path(tmp_path / "nothing.vtt")


def test_warnings_are_capped():
    data = b"WEBVTT\n\n" + b"00:01.000 --> 00:02.000\n\n" * 200 + b"00:03.000 --> 00:04.000\nYes.\n"
    document = read(data)
    assert len(document.warnings) == formats.base.MAX_WARNINGS + 1
    assert document.warnings[-1] == "… and 150 more like these."


# Property tests: whatever the bytes, reading answers a document or a TranscriptFormatError.
CAPTION_PARTS = st.sampled_from(
    [
        "WEBVTT",
        "\n",
        "\r\n",
        "\r",
        " --> ",
        "00:00:01.000",
        "0:0:0.0",
        "99:99",
        "-->",
        "<v Ana>",
        "</v>",
        "<c>",
        "Ana: ",
        "NOTE",
        "1",
        "**Bo:** ",
        "[Ana] 10:00:00",
        "Bo  0:05",
        "0:00:01.000,0:00:02.000",
        '{"segments": [',
        '{"monologues": [',
        "&amp;",
        "\ufeff",
        "é",
        "\x00",
        "#",
    ]
)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _read_or_refuse(data: bytes, name: str) -> None:
    try:
        document = read(data, name)
    except TranscriptFormatError as error:
        message = str(error)
        assert message
    else:
        assert document.segments
        for segment in document.segments:
            assert segment.text.strip()
            if segment.start is not None and segment.end is not None:
                assert 0 <= segment.start <= segment.end


@FAST
@given(
    data=st.binary(max_size=2000), name=st.sampled_from(["", "a.vtt", "a.srt", "a.docx", "a.json"])
)
def test_any_bytes_read_or_are_refused_in_words(data, name):
    _read_or_refuse(data, name)


@FAST
@given(
    parts=st.lists(CAPTION_PARTS | st.text(max_size=8), max_size=60),
    name=st.sampled_from(["", "a.vtt", "a.txt"]),
)
def test_any_caption_like_text_reads_or_is_refused_in_words(parts, name):
    _read_or_refuse("".join(parts).encode(), name)


@FAST
@given(
    value=st.recursive(
        st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=5),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "segments",
                        "monologues",
                        "elements",
                        "start",
                        "end",
                        "ts",
                        "end_ts",
                        "text",
                        "value",
                        "type",
                        "speaker",
                        "words",
                        "format",
                        "version",
                    ]
                ),
                children,
                max_size=5,
            )
        ),
        max_leaves=30,
    )
)
def test_any_json_reads_or_is_refused_in_words(value):
    _read_or_refuse(json.dumps(value).encode(), "a.json")
