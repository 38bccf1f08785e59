"""A matrix row's cells as markup, built with plain string formatting (every value escaped)
rather than by included templates: a page of 25 rows by 20 points holds 500 cells and up to
1,500 quotes, and the templates `synthesis/_quote_words.html` and `interviews/_moment.html`,
included once a quote, were most of the page's time. The markup is theirs, word for word.
The totals at the foot of the columns are made here too (`totals_row`): a chart and a legend
per point, each part of them a template node of its own before."""

from __future__ import annotations

from html import escape as _escape

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from heard.interviews.recordings.moments import Moment
from heard.synthesis.matrix.queries import Cell, Total
from heard.synthesis.models import Bearing, Quote, Stance, Voice


def escape(value: object) -> str:
    """Django's `escape` (the same five characters, the same entities), without its lazy
    strings' wrapper, which cost more than the escaping on a page of thousands of values."""
    return _escape(str(value), quote=True)


# How much of a quote and of a reading a cell shows.
QUOTE_CUT = 240
HEARD_CUT = 320


def cut(text: str, most: int) -> str:
    """`truncatechars`: Django's own for the few texts longer than `most`."""
    return text if len(text) <= most else Truncator(text).chars(most)


def quote_words(quote: Quote, most: int) -> str:
    """`_quote_words.html` with `inline` and `cut`."""
    words = escape(cut(quote.text, most))
    team = quote.voice == Voice.TEAM
    if team:
        badge = "Team's words" if quote.from_transcript else "Team's note"
        if not quote.from_transcript and quote.noted_as:
            badge += f" ({escape(quote.noted_as)})"
        html = (
            f'<span class="quote-words quote-words--team"><span class="badge badge--team-words">'
            f'{badge}<span class="visually-hidden">, not their words:</span></span> '
            f'<span class="prewrap" dir="auto">{words}</span></span>'
        )
    else:
        html = f'<span class="quote-words quote-words--said prewrap" dir="auto">“{words}”</span>'
    if not quote.is_verbatim:
        source = escape(quote.source_words)
        html += (
            '<details class="quote-source small"><summary><span class="badge badge--edited">'
            f"Edited</span> by the team: not {'the note' + chr(39) + 's' if team else 'their'} "
            f"exact words</summary><p>The {'transcript' if quote.from_transcript else 'note'} "
            f'says: <span class="prewrap" dir="auto">{source if team else f"“{source}”"}</span>'
            "</p></details>"
        )
    return html


def moment_link(moment: Moment) -> str:
    """`interviews/_moment.html`."""
    end = f' data-moment-end="{moment.end:.3f}"' if moment.end is not None else ""
    about = escape(moment.description)
    return (
        f'<a class="play-moment note-time" href="{escape(moment.href)}" '
        f'data-moment-src="{escape(moment.url)}" data-moment-start="{moment.start:.3f}"{end} '
        f'data-moment-about="{about}" title="Play {about}"><span aria-hidden="true">▶&#xFE0E; '
        f'</span>{escape(moment.label)}<span class="visually-hidden">: play {about}</span></a>'
    )


def _when(quote: Quote, wrapup_url: str) -> str:
    moment = getattr(quote, "moment", None)
    if moment:
        return moment_link(moment)
    if quote.source_is_gone:
        label = quote.recording_label if quote.from_transcript else quote.elapsed_label
        return f'<span class="note-time">{escape(label)}</span>'
    if quote.from_transcript:
        return (
            f'<span class="note-time" title="Time on the recording">'
            f"{escape(quote.recording_label)}</span>"
        )
    return (
        f'<a class="note-time" href="{wrapup_url}#note-{quote.note_id}">'
        f'{escape(quote.elapsed_label)}<span class="visually-hidden">: the note in the wrap-up'
        "</span></a>"
    )


def quote_item(quote: Quote, wrapup_url: str) -> str:
    said_by = ""
    if quote.from_transcript:
        who = getattr(quote, "said_by", "")
        named = f'<span dir="auto">{escape(who)}</span>, ' if who else ""
        said_by = f' <span class="small muted matrix-said-by">{named}from the recording</span>'
    bearing = ""
    if quote.bearing == Bearing.FOR:
        bearing = '<span class="visually-hidden"> (for the point)</span>'
    elif quote.bearing == Bearing.AGAINST:
        bearing = '<span class="visually-hidden"> (against the point)</span>'
    return (
        f'<li class="matrix-quote matrix-quote--{escape(quote.bearing)}">'
        f"{quote_words(quote, QUOTE_CUT)} {_when(quote, wrapup_url)}{said_by}{bearing}</li>"
    )


def cell_html(cell: Cell, name: str, summary_url: str, wrapup_url: str) -> str:
    """One cell of a row with a summary: its stance (linking to the point in the summary),
    its quotes and its reading. `name`: the participant's, for screen readers."""
    point = cell.point
    parts = [
        f'<td class="matrix-cell"><a class="badge badge--stance-{escape(cell.stance)}" '
        f'href="{summary_url}#point-{point.pk}">{escape(cell.stance_label)}'
        f'<span class="visually-hidden">: {escape(point.label)}, <span dir="auto">'
        f"{escape(name)}</span></span></a>\n"
    ]
    if cell.quotes:
        items = "".join(quote_item(quote, wrapup_url) for quote in cell.quotes)
        parts.append(
            f'<div class="matrix-tag">They said</div><ul class="matrix-quotes">{items}</ul>'
        )
        more = cell.more_quotes
        if more:
            parts.append(
                f'<a class="small" href="{summary_url}#point-{point.pk}">{more} more '
                f"quote{'s' if more != 1 else ''} in the summary</a>"
            )
    if cell.what_we_heard:
        parts.append(
            '\n<div class="matrix-tag">We heard</div><p class="matrix-heard" dir="auto">'
            f"{escape(cut(cell.what_we_heard, HEARD_CUT))}</p>"
        )
    parts.append("</td>")
    return "".join(parts)


def row_cells(cells: list[Cell], name: str, summary_url: str, wrapup_url: str) -> SafeString:
    """Every cell of a row with a summary."""
    return mark_safe(
        "".join(cell_html(cell, name, escape(summary_url), escape(wrapup_url)) for cell in cells)
    )


# What stands for a point's id in the stance patterns' markup, rendered once a page.
_PREFIX = "0-point-0"
# How the part of a bar that no summary has set yet is outlined, and every other part.
_UNSET_STROKE = ' stroke="#6b7585" stroke-width="1" stroke-dasharray="4 3"'
_SET_STROKE = ' stroke="#fff" stroke-width="1"'


def _plural(count: int) -> str:
    return "" if count == 1 else "s"


def total_cell(total: Total, patterns: str) -> str:
    """A point's totals: its stance bar (the patterns its parts are filled with, then a part
    per stance held), the legend in words, and the evidence behind it."""
    chart = total.chart
    pk = chart.point.pk
    parts = ['<td class="matrix-total">\n']
    if chart.total:
        parts.append(
            '<svg class="matrix-bar" viewBox="0 0 600 36" aria-hidden="true" focusable="false">'
            + patterns.replace(_PREFIX, str(pk))
        )
        for part in chart.parts:
            stroke = _UNSET_STROKE if part.stance == Stance.UNSET else _SET_STROKE
            parts.append(
                f'<rect x="{part.x:.1f}" y="2" width="{part.width:.1f}" height="32" '
                f'fill="url(#stance-{pk}-{part.stance})"{stroke}/>'
            )
        parts.append("</svg>")
    parts.append('\n<ul class="matrix-legend">')
    for stance, label, count in chart.legend:
        parts.append("<li>" if count else '<li class="is-zero">')
        if chart.total:
            outline = ' stroke="#6b7585"' if stance == Stance.UNSET else ""
            parts.append(
                '<svg class="matrix-swatch" viewBox="0 0 16 16" width="12" height="12" '
                'aria-hidden="true" focusable="false"><rect x="0.5" y="0.5" width="15" '
                f'height="15" fill="url(#stance-{pk}-{stance})"{outline}/></svg>'
            )
        parts.append(f"{escape(label)} <strong>{count}</strong></li>")
    parts.append(
        f'</ul>\n<span class="matrix-meta">{total.quotes} quote{_plural(total.quotes)} from '
        f"{total.interviews_quoted} interview{_plural(total.interviews_quoted)}</span>\n</td>"
    )
    return "".join(parts)


def totals_row(totals: list[Total]) -> SafeString:
    """The cells of the totals row, a point each."""
    patterns = render_to_string("synthesis/_stance_patterns.html", {"prefix": _PREFIX}).strip()
    return mark_safe("\n".join(total_cell(total, patterns) for total in totals))
