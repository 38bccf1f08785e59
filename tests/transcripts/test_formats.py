"""Every format Heard reads, from files written for these tests: who spoke, when, and what."""

from __future__ import annotations

import codecs
import io
from pathlib import Path

import docx
import pytest

from heard.interviews.transcripts.formats import FORMATS, read, read_path

FIXTURES = Path(__file__).parent / "fixtures"
ANA, BO = "Ana Ruiz", "Bo Chen"


def rows(name: str) -> list[tuple[float | None, float | None, str, str]]:
    document = read_path(FIXTURES / name)
    assert document.warnings == [], document.warnings
    return [(s.start, s.end, s.speaker, s.text) for s in document.segments]


def test_zoom_vtt_speakers_come_from_the_cue_text():
    assert rows("zoom.vtt") == [
        (1.2, 4.8, ANA, "Thanks for making the time today."),
        (5.0, 9.5, BO, "Sure. We close the books every month, and it takes four days."),
        (10.0, 12.0, ANA, "Four days: what takes longest?"),
        (12.5, 16.0, BO, "Chasing receipts. Note: every single month."),
    ]


def test_teams_vtt_voices_unpadded_times_blocks_settings_markup_and_bom():
    document = read_path(FIXTURES / "teams.vtt")
    assert document.language == "de"
    # Overlapping cues (3.2 starts before 3.5 ends) stay, in the order they start.
    assert [(s.start, s.end, s.speaker, s.text) for s in document.segments] == [
        (1.0, 3.5, ANA, "Wie lange dauert der Monatsabschluss?"),
        (3.2, 6.25, BO, "Vier Tage & mehr <ehrlich>."),
        (7.0, 9.0, ANA, "Und dann?"),
    ]


def test_youtube_rolling_captions_are_merged_line_by_line():
    document = read_path(FIXTURES / "youtube-rolling.vtt")
    assert document.language == "en"
    assert [(s.start, s.text) for s in document.segments] == [
        (1.0, "so the invoices"),
        (2.01, "come in late"),
        (4.01, "every month"),
    ]


def test_a_caption_file_without_speakers_keeps_a_colon_in_its_text():
    data = b"WEBVTT\n\n00:01.000 --> 00:02.000\nNote: the total is wrong.\n\n00:02.000 --> 00:03.000\nYes.\n\n00:03.000 --> 00:04.000\nIt is.\n"
    assert [s.speaker for s in read(data).segments] == ["", "", ""]


def test_srt_markup_blank_lines_and_speakers():
    assert rows("interview.srt") == [
        (1.0, 3.0, ANA, "How do you track spend?"),
        (3.5, 6.0, BO, "In a spreadsheet. Shared with finance."),
        (6.5, 8.25, ANA, "Who updates it?"),
    ]


def test_srt_without_blank_lines_or_numbers_and_with_dots():
    assert rows("compact.srt") == [
        (1.0, 3.0, "Ana", "One"),
        (3.0, 5.0, "Bo", "Two more of two"),
        (5.0, 7.0, "Ana", "Three"),
    ]


def test_srt_in_windows_1252():
    assert rows("windows-1252.srt")[0] == (
        1.0,
        2.0,
        "Clément",
        "Ça coûte cher \N{EN DASH} trop cher.",
    )


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (b"", "utf-16-le"),  # saved as UTF-16 without its mark
        (b"", "utf-8"),
    ],
)
def test_srt_in_unicode_encodings(bom, encoding):
    text = (FIXTURES / "interview.srt").read_text().replace("Bo Chen", "Bø Çhen ☕")
    document = read(bom + text.encode(encoding), "x.srt")
    assert document.source_format == "srt"
    assert document.speakers == [ANA, "Bø Çhen ☕"]


def test_sbv():
    assert rows("captions.sbv") == [
        (1.0, 3.5, "Ana", "How often do you close the books?"),
        (4.0, 6.0, "Bo", "Monthly. Sometimes weekly."),
    ]


def test_zoom_saved_transcript_counts_from_its_first_line():
    document = read_path(FIXTURES / "zoom-saved.txt")
    assert document.source_format == "zoom-txt"
    assert [(s.start, s.speaker, s.text) for s in document.segments] == [
        (0.0, ANA, "Thanks for joining."),
        (4.0, BO, "Happy to help.\nIt is a busy week."),
        (15.0, ANA, "Let us start."),
    ]
    assert "14:02:05" in document.warnings[0]


def test_zoom_chat_lines_across_midnight():
    document = read_path(FIXTURES / "zoom-chat.txt")
    assert [(s.start, s.speaker) for s in document.segments] == [(0.0, ANA), (8.0, BO), (14.0, ANA)]


def test_otter_text_with_turn_headers():
    document = read_path(FIXTURES / "otter.txt")
    assert document.source_format == "otter-txt"
    assert [(s.start, s.end, s.speaker, s.text) for s in document.segments] == [
        (0.0, 6.0, ANA, "Thanks for joining. Tell me about the last close."),
        (6.0, 3727.0, BO, "It took four days.\nWe had to chase receipts."),
        (3727.0, None, ANA, "How did that feel?"),  # the footer "Transcribed by …" is not said
    ]


def test_rev_text_with_times_in_brackets():
    assert rows("rev.txt") == [
        (1.0, 5.0, ANA, "What happened last month?"),
        (5.0, 4202.0, BO, "We missed the deadline."),
        (4202.0, None, ANA, "Why?"),
    ]


def test_meet_markdown_skips_title_attendees_and_notices():
    document = read_path(FIXTURES / "meet.md")
    assert document.source_format == "txt"
    assert [(s.start, s.speaker, s.text) for s in document.segments] == [
        (None, ANA, "What does a normal week look like?"),
        (None, BO, "Meetings, mostly.\nThen invoices."),
        (130.0, ANA, "And the close?"),
    ]


def test_speaker_text():
    assert [(s.speaker, s.text) for s in read_path(FIXTURES / "speakers.txt").segments] == [
        (ANA, "How many people work on the close?"),
        (BO, "Three of us."),
        (ANA, "Full time?"),
        (BO, "For those four days, yes."),
    ]


def test_heards_own_text():
    assert rows("heard.txt") == [
        (1.0, 4.0, ANA, "First line."),
        (4.0, 90.0, BO, "Second line."),
        (90.0, None, "", "A line with no speaker."),
    ]


def test_rev_json_words_and_speaker_names():
    document = read_path(FIXTURES / "rev.json")
    assert document.source_format == "rev-json"
    first, second = document.segments
    assert (first.start, first.end, first.speaker, first.text) == (0.5, 1.1, ANA, "How often?")
    assert [(w.text, w.start, w.probability) for w in first.words] == [
        ("How", 0.5, 0.99),
        ("often", 0.7, 0.95),
    ]
    assert (second.speaker, second.text) == ("Speaker 2", "Monthly.")


def test_heard_json():
    document = read_path(FIXTURES / "heard.json")
    assert (document.source_format, document.language) == ("json", "en")
    first, second = document.segments
    assert [(w.text, w.end, w.probability) for w in first.words] == [
        ("How", 0.9, 0.98),
        ("often?", 2.25, None),
    ]
    assert (second.start, second.end, second.speaker, second.words) == (2.5, 4.0, BO, [])


def word_file(build) -> bytes:  # type: ignore[no-untyped-def]
    document = docx.Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_otter_style_headers_above_paragraphs():
    def build(document):  # type: ignore[no-untyped-def]
        document.add_heading("Customer call", level=1)
        document.add_paragraph("Ana Ruiz  0:00")
        document.add_paragraph("Thanks for joining.")
        document.add_paragraph("Bo Chen  0:04")
        paragraph = document.add_paragraph("It took four days.")
        paragraph.add_run().add_break()
        paragraph.add_run("Every month.")

    document = read(word_file(build), "otter export.docx")
    assert document.source_format == "docx"
    assert [(s.start, s.speaker, s.text) for s in document.segments] == [
        (0.0, ANA, "Thanks for joining."),
        (4.0, BO, "It took four days.\nEvery month."),
    ]


def test_docx_meet_style_times_on_their_own_lines_and_a_table():
    def build(document):  # type: ignore[no-untyped-def]
        document.add_paragraph("Call - Transcript")
        document.add_paragraph("00:00:00")
        document.add_paragraph("Ana Ruiz: Hello.")
        document.add_paragraph("Bo Chen: Hi.")
        table = document.add_table(rows=1, cols=3)
        for cell, text in zip(table.rows[0].cells, ["00:05:00", ANA, "Shall we?"], strict=True):
            cell.text = text

    document = read(word_file(build))  # no name: told by its content
    assert [(s.start, s.speaker, s.text) for s in document.segments] == [
        (0.0, ANA, "Hello."),
        (None, BO, "Hi."),
        (300.0, ANA, "Shall we?"),
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("zoom.vtt", "vtt"),
        ("interview.srt", "srt"),
        ("captions.sbv", "sbv"),
        ("zoom-saved.txt", "zoom-txt"),
        ("otter.txt", "otter-txt"),
        ("meet.md", "txt"),
        ("rev.json", "rev-json"),
        ("heard.json", "json"),
    ],
)
def test_detection_is_by_content_not_by_extension(name, expected):
    data = (FIXTURES / name).read_bytes()
    assert read(data, "transcript.txt").source_format == expected
    assert read(data, "").source_format == expected


def test_the_extension_breaks_a_tie():
    """Cues with dotted times and no header read as WebVTT or SubRip alike: the name decides."""
    data = b"00:00:01.000 --> 00:00:02.000\nHello.\n"
    assert read(data, "a.srt").source_format == "srt"
    assert read(data, "a.vtt").source_format == "vtt"


def test_every_format_has_a_label_and_extensions():
    for name, fmt in FORMATS.items():
        assert fmt.name == name
        assert fmt.label
        assert all(extension.startswith(".") for extension in fmt.extensions)
