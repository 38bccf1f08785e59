"""The languages a transcript may be in, as the speech model names them ("en"), for the
workspace's and the interview's choice; blank means "detect it from the recording"."""

from __future__ import annotations

DETECT = ""

# The languages people at Heard's users most often interview in; the speech model knows
# about a hundred, and detection finds any of them when none is chosen.
TRANSCRIPT_LANGUAGES: tuple[tuple[str, str], ...] = (
    (DETECT, "Detect from the recording"),
    ("ar", "Arabic"),
    ("zh", "Chinese"),
    ("cs", "Czech"),
    ("da", "Danish"),
    ("nl", "Dutch"),
    ("en", "English"),
    ("fi", "Finnish"),
    ("fr", "French"),
    ("de", "German"),
    ("el", "Greek"),
    ("he", "Hebrew"),
    ("hi", "Hindi"),
    ("hu", "Hungarian"),
    ("id", "Indonesian"),
    ("it", "Italian"),
    ("ja", "Japanese"),
    ("ko", "Korean"),
    ("no", "Norwegian"),
    ("pl", "Polish"),
    ("pt", "Portuguese"),
    ("ro", "Romanian"),
    ("ru", "Russian"),
    ("es", "Spanish"),
    ("sv", "Swedish"),
    ("tr", "Turkish"),
    ("uk", "Ukrainian"),
    ("vi", "Vietnamese"),
)


def language_label(code: str) -> str:
    """ "English" for "en"; the code itself for one not in the list."""
    return dict(TRANSCRIPT_LANGUAGES).get(code, code) if code else ""
