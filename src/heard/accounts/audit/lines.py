"""What an audit entry says, in plain words: who did what to what, and a link to the thing
where it still exists.

The things are of every stage, named here by their model's label and their page's URL name
(strings, as the URL map names them): the log is written from every layer, and reading it
imports none of them. A kind this table does not know is shown without a link.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.template.defaultfilters import filesizeformat, pluralize
from django.urls import reverse
from django.utils import dateformat, timezone

from heard.accounts.models import AuditAction, AuditEntry, Role, Workspace


@dataclass(frozen=True)
class Link:
    """Where a kind of thing is shown: its page's URL name, which of its keywords takes the
    thing's id and which the id of its interview (kept in the entry's details)."""

    url_name: str
    id_as: str = ""
    interview_as: str = ""
    anchor: str = ""

    def url(self, ws: str, entry: AuditEntry) -> str | None:
        kwargs: dict[str, Any] = {"ws": ws}
        if self.id_as:
            kwargs[self.id_as] = entry.target_id
        if self.interview_as:
            if not isinstance(entry.details.get("interview"), int):
                return None
            kwargs[self.interview_as] = entry.details["interview"]
        return reverse(self.url_name, kwargs=kwargs) + self.anchor


LINKS: dict[str, Link] = {
    "accounts.invitation": Link("accounts:team"),
    "accounts.membership": Link("accounts:team"),
    "accounts.workspace": Link("accounts:workspace_settings"),
    "studies.study": Link("studies:detail", id_as="pk"),
    "participants.participant": Link("participants:detail", id_as="pk"),
    "interviews.interview": Link("interviews:detail", id_as="pk"),
    "interviews.recording": Link("interviews:detail", interview_as="pk", anchor="#recordings"),
    "interviews.transcript": Link("transcripts:detail", id_as="transcript_pk", interview_as="pk"),
    "followups.followup": Link("followups:detail", id_as="pk", interview_as="interview_pk"),
    "privacy.retentionpolicy": Link("privacy:retention"),
}

# Each export by its name in the details: what was downloaded, before and after its target.
EXPORTS: dict[str, tuple[str, str]] = {
    "matrix_xlsx": ("downloaded the matrix of", "as XLSX"),
    "matrix_csv": ("downloaded the matrix of", "as CSV"),
    "summary_markdown": ("downloaded the summary of", "as Markdown"),
    "summary_print": ("opened the printable summary of", ""),
    "coach_report_json": ("downloaded the coach's report on", "as JSON"),
    "coach_study_json": ("downloaded the coach's figures of", "as JSON"),
    "participants_csv": ("downloaded the participant list as CSV", ""),
    "interview_ics": ("downloaded the team's calendar invitation to", ""),
    "customer_ics": ("downloaded the customer's calendar invitation to", ""),
    "followup_eml": ("downloaded", "as an email file"),
    "refi_qdpx": ("downloaded", "as a REFI-QDA project"),
    "refi_qdc": ("downloaded the codebook of", "as REFI-QDA"),
}


@dataclass
class Line:
    """An entry as the page shows it: `who` `before` `target` `after`, the target linked
    to `url` where it still exists."""

    entry: AuditEntry
    who: str
    before: str
    target: str
    after: str
    url: str | None = None


def who(entry: AuditEntry) -> str:
    """Who did it: the person as they were, or Heard (the worker), or the command line."""
    if entry.actor_label:
        return entry.actor_label
    return "Someone at the command line" if entry.details.get("via") == "command line" else "Heard"


def _role(value: object) -> str:
    return Role(value).label.lower() if value in Role.values else str(value)


def _setting(name: str) -> str:
    """A workspace setting as its form names it ("why we are here")."""
    try:
        return str(getattr(Workspace._meta.get_field(name), "verbose_name", name))
    except FieldDoesNotExist:
        return name


def _counts(details: dict[str, Any]) -> str:
    """ "2 recordings (3.1 MB), 0 transcripts and 1 whole interview"."""
    recordings, transcripts, interviews = (
        int(details.get(key) or 0) for key in ("recordings", "transcripts", "interviews")
    )
    size = (
        f" ({filesizeformat(details['recording_bytes'])})" if details.get("recording_bytes") else ""
    )
    return (
        f"{recordings} recording{pluralize(recordings)}{size}, "
        f"{transcripts} transcript{pluralize(transcripts)} and "
        f"{interviews} whole interview{pluralize(interviews)}"
    )


def _day(value: object) -> str:
    """A day kept in the details ("2031-01-31") as pages write it; none: until lifted."""
    if not isinstance(value, str):
        return "the hold is lifted"
    try:
        return dateformat.format(datetime.date.fromisoformat(value), "j M Y")
    except ValueError:
        return value


def _period(value: object, unit: str) -> str:
    return f"{value} {unit}" if value is not None else "kept"


def _policy(details: dict[str, Any]) -> str:
    return (
        f"recordings {_period(details.get('recordings_days'), 'days')}, "
        f"transcripts {_period(details.get('transcripts_days'), 'days')}, "
        f"whole interviews {_period(details.get('interviews_months'), 'months')}"
    )


class Words(NamedTuple):
    """What an entry says before and after its target, and whether it names the target."""

    before: str
    after: str = ""
    names_target: bool = True


# Why words were redacted, by the code a redaction keeps (`interviews.RedactionReason`).
REASONS = {
    "chosen": "chosen words",
    "email": "email addresses",
    "phone": "phone numbers",
    "card": "card numbers",
    "name": "names",
    "company": "companies",
}


def _with_pseudonyms(details: dict[str, object]) -> str:
    return ", with pseudonyms" if details.get("pseudonyms") else ""


def _counted(count: object, what: str) -> str:
    number = count if isinstance(count, int) else 0
    return f"{number} {what}{'s' if number != 1 else ''}" if number else ""


def _redacted(details: dict[str, object]) -> str:
    """ "(3 spans in 2 lines and 1 note: phone, name; the sound silenced)" """
    where = " and ".join(
        part
        for part in (_counted(details.get("lines"), "line"), _counted(details.get("notes"), "note"))
        if part
    )
    reasons = details.get("reasons")
    why = (
        ", ".join(REASONS.get(str(r), str(r)) for r in reasons) if isinstance(reasons, list) else ""
    )
    sound = "; the sound silenced" if details.get("recordings_silenced") else ""
    spans = _counted(details.get("spans"), "span")
    return f"({spans} in {where}{': ' + why if why else ''}{sound})" if spans and where else ""


# What was done to a webhook, in words: before and after its name.
WEBHOOK_CHANGES = {
    "added": ("added", "(it sends the workspace's events out of Heard)"),
    "edited": ("changed the address or the events of", ""),
    "new_secret": ("made a new signing secret for", ""),
    "deleted": ("deleted", "and its delivery log"),
}


def words(entry: AuditEntry) -> Words:
    details = entry.details
    match entry.action:
        case AuditAction.RECORDING_PLAYED:
            return Words("played")
        case AuditAction.RECORDING_DOWNLOADED if details.get("redacted"):
            return Words("downloaded", "(the redacted copy)")
        case AuditAction.RECORDING_DOWNLOADED:
            return Words("downloaded", "(the file as uploaded)")
        case AuditAction.TRANSCRIPT_DOWNLOADED:
            fmt = str(details.get("format", "")).upper()
            return Words("downloaded", f"as {fmt}{_with_pseudonyms(details)}")
        case AuditAction.EXPORTED:
            before, after = EXPORTS.get(str(details.get("export")), ("downloaded", ""))
            after = f"{after} (filtered)" if details.get("filtered") else after
            return Words(before, f"{after}{_with_pseudonyms(details)}".strip())
        case AuditAction.IMPORTED:
            made = _counted(details.get("highlights"), "highlight") or "no highlight"
            return Words(f"imported {made} from a REFI-QDA project into")
        case AuditAction.PARTICIPANT_EXPORTED:
            return Words("exported everything held about", "as a ZIP")
        case AuditAction.PARTICIPANT_ERASED:
            team_side = "and the team's side of their transcripts"
            return Words("erased", team_side if details.get("team_side") else "")
        case AuditAction.REDACTED:
            return Words("redacted words of", _redacted(details))
        case AuditAction.MEMBER_INVITED:
            how = "by email" if details.get("emailed") else "with a link"
            again = " again" if details.get("again") else ""
            return Words("invited", f"as {_role(details.get('role'))}, {how}{again}")
        case AuditAction.INVITATION_REVOKED:
            return Words("revoked the invitation of")
        case AuditAction.MEMBER_JOINED if details.get("via") == "command line":
            return Words("added", f"as {_role(details.get('role'))}")
        case AuditAction.MEMBER_JOINED:
            role = _role(details.get("role"))
            return Words(f"joined as {role}, through an invitation", names_target=False)
        case AuditAction.ROLE_CHANGED:
            roles = f"from {_role(details.get('was'))} to {_role(details.get('role'))}"
            return Words("changed the role of", roles)
        case AuditAction.MEMBER_REMOVED:
            return Words("removed", f"from the workspace (was {_role(details.get('role'))})")
        case AuditAction.SETTINGS_CHANGED:
            changed = "; ".join(_setting(name) for name in details.get("changed", []))
            return Words("changed the settings of", f"({changed})")
        case AuditAction.RETENTION_POLICY_CHANGED:
            return Words("set", f"to {_policy(details)}")
        case AuditAction.RETENTION_OVERRIDE:
            return Words("kept", f"past the retention policy until {_day(details.get('until'))}")
        case AuditAction.RETENTION_OVERRIDE_LIFTED:
            return Words("let the retention policy apply to", "again")
        case AuditAction.RETENTION_APPLIED:
            deleted = f"applied the retention policy, deleting {_counts(details)}"
            return Words(deleted, names_target=False)
        case AuditAction.TOKEN_CREATED:
            scope = "read-only, " if details.get("read_only") else ""
            how = " from the command line" if details.get("via") == "command line" else ""
            return Words("made", f"({scope}as {_role(details.get('role'))}){how}")
        case AuditAction.TOKEN_REVOKED:
            return Words("revoked")
        case AuditAction.WEBHOOK_CHANGED:
            before, after = WEBHOOK_CHANGES.get(str(details.get("change")), ("changed", ""))
            return Words(before, after)
        case AuditAction.AUDIT_LOG_EXPORTED:
            filtered = "(filtered)" if details.get("filtered") else ""
            return Words("downloaded the audit log as CSV", filtered, names_target=False)
    return Words(entry.get_action_display().lower())


def what(entry: AuditEntry) -> str:
    """What was done, in one line: "downloaded the matrix of Study 3 as XLSX"."""
    said = words(entry)
    target = entry.target_label if said.names_target else ""
    return " ".join(part for part in (said.before, target, said.after) if part)


def _existing(entries: Sequence[AuditEntry]) -> set[tuple[str, str]]:
    """The (kind, id) of the entries' targets that still exist: one query per kind."""
    ids: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        if entry.target_kind in LINKS and entry.target_id.isdigit():
            ids[entry.target_kind].add(entry.target_id)
    found: set[tuple[str, str]] = set()
    for kind, wanted in ids.items():
        model = apps.get_model(kind)
        for pk in model._default_manager.filter(pk__in=wanted).values_list("pk", flat=True):
            found.add((kind, str(pk)))
    return found


def lines(entries: Iterable[AuditEntry], ws: str) -> list[Line]:
    """The entries in plain words, each target linked where it still exists."""
    entries = list(entries)
    existing = _existing(entries)
    found = []
    for entry in entries:
        said = words(entry)
        link = LINKS.get(entry.target_kind)
        url = (
            link.url(ws, entry)
            if link is not None and (entry.target_kind, entry.target_id) in existing
            else None
        )
        target = entry.target_label if said.names_target else ""
        found.append(Line(entry, who(entry), said.before, target, said.after, url))
    return found


def local(moment: datetime.datetime) -> str:
    """A moment in Heard's time zone, with the zone's name, for a file."""
    return dateformat.format(timezone.localtime(moment), "Y-m-d H:i:s T")
