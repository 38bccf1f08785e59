"""Rev's JSON (rev.ai and Rev's exports): `monologues`, each a speaker's turn with its
`elements`: words (`type` "text", with `ts` and `end_ts` in seconds and a `confidence`) and
the punctuation and spaces between them (`type` "punct"). The speaker is `speaker_name`, or
"Speaker N" from the number."""

from __future__ import annotations

from heard.interviews.transcripts.document import TranscriptDocument, Word
from heard.interviews.transcripts.formats.base import (
    Content,
    Reading,
    TranscriptFormat,
    TranscriptFormatError,
)
from heard.interviews.transcripts.formats.heard_json import number


class RevJSON(TranscriptFormat):
    name = "rev-json"
    label = "Rev JSON"
    extensions = (".json",)

    def sniff(self, content: Content) -> float:
        data = content.json
        return 1.0 if isinstance(data, dict) and isinstance(data.get("monologues"), list) else 0.0

    def read(self, content: Content) -> TranscriptDocument:
        data = content.json
        if not isinstance(data, dict) or not isinstance(data.get("monologues"), list):
            raise TranscriptFormatError('This is not Rev\'s JSON: it needs a "monologues" list.')
        reading = Reading(self)
        for index, monologue in enumerate(data["monologues"], 1):
            where = f"Monologue {index}"
            elements = monologue.get("elements") if isinstance(monologue, dict) else None
            if not isinstance(elements, list):
                reading.warn(f'{where} has no "elements": skipped.')
                continue
            text: list[str] = []
            words: list[Word] = []
            for element in elements:
                if not isinstance(element, dict) or not isinstance(element.get("value"), str):
                    continue
                text.append(element["value"])
                start, end = number(element.get("ts")), number(element.get("end_ts"))
                if (
                    element.get("type") == "text"
                    and start is not None
                    and end is not None
                    and 0 <= start <= end
                ):
                    words.append(
                        Word(start, end, element["value"], number(element.get("confidence")))
                    )
            assert isinstance(monologue, dict)
            name = monologue.get("speaker_name")
            number_ = monologue.get("speaker")
            speaker = (
                name.strip()
                if isinstance(name, str) and name.strip()
                else f"Speaker {number_}"
                if isinstance(number_, int | str) and not isinstance(number_, bool)
                else ""
            )
            reading.add(
                "".join(text),
                words[0].start if words else None,
                words[-1].end if words else None,
                speaker,
                words,
                where=where,
            )
        return reading.finish()
