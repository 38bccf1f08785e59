from __future__ import annotations

import re

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from heard.accounts import audit
from heard.accounts.access import Need, current_user, get_only, membership_for, post_only
from heard.accounts.models import AuditAction
from heard.accounts.requests import WorkspaceRequest
from heard.core.bidi import isolated
from heard.core.downloads import attachment
from heard.core.queries import Uncounted
from heard.core.redirects import safe_next
from heard.core.spreadsheets import csv_stream
from heard.core.streaming import StreamedDownload
from heard.participants import export, imports, services
from heard.participants.access import (
    export_membership_for,
    get_import_for,
    get_note_for,
    get_participant_for,
)
from heard.participants.csv_file import ImportFileError
from heard.participants.csv_headers import NAME_PARTS
from heard.participants.csv_import import FIELD_LABELS, MappingError, joined_examples
from heard.participants.forms import (
    EMAIL_IN_USE,
    SEGMENT_OPTIONS_ID,
    DuplicateChoicesForm,
    MappingForm,
    ParticipantForm,
    ProfileForm,
    RecontactForm,
    ResearchNoteForm,
    UploadForm,
)
from heard.participants.picker import QUERY_SUFFIX, picker_context, pk_of
from heard.participants.profile import fold_role, split_profile

PREVIEW_ROWS = 10
PICKER_FIELD_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
# Rows repeating an email listed with a choice each; "Merge all" and "Skip all" reach the rest.
DUPLICATES_LISTED = 100


def participant_list(request: WorkspaceRequest, ws: str) -> HttpResponse:
    membership = membership_for(request, ws)
    query = request.GET.get("q", "").strip()
    segment = request.GET.get("segment", "")
    people = services.with_counts(
        services.directory(membership.workspace, query=query, segment=segment)
    )
    # The directory and a segment are counted from their indexes; what a search finds is not
    # counted, which would read every row (`core.queries.Uncounted`).
    paginator = (Uncounted if query else Paginator)(people, services.PAGE_SIZE)
    context = {
        "page": paginator.get_page(request.GET.get("page")),
        "query": query,
        "segment": segment,
        "segments": services.segments(membership.workspace),
        "filtered": bool(query or segment),
    }
    return render(request, "participants/participant_list.html", context)


@get_only
def participant_picker(request: WorkspaceRequest, ws: str) -> HttpResponse:
    """The participants matching a picker's search box, for htmx to swap in as one types.

    Pickers are in forms that change things (scheduling): the search is for those who edit,
    and shows observers no more of the directory than its pages do."""
    membership = membership_for(request, ws, Need.EDIT)
    name = request.GET.get("name", "")
    if not PICKER_FIELD_NAME.fullmatch(name):
        name = "participant"
    query = request.GET.get(f"{name}{QUERY_SUFFIX}", "")
    context = {
        "picker": picker_context(membership.workspace, name, query, pk_of(request.GET.get(name))),
        "oob": True,
    }
    return render(request, "participants/_picker_results.html", context)


def participant_create(request: WorkspaceRequest, ws: str) -> HttpResponse:
    membership = membership_for(request, ws, Need.EDIT)
    workspace = membership.workspace
    keys = services.profile_keys(workspace)
    form = ParticipantForm(request.POST or None, workspace=workspace)
    profile_form = ProfileForm(request.POST or None, keys=keys)
    if request.method == "POST" and all([form.is_valid(), profile_form.is_valid()]):
        try:
            person = services.save_participant(
                workspace, form.save(commit=False), keys, profile_form.values
            )
        except services.EmailInUse:
            form.add_error("email", EMAIL_IN_USE)
        else:
            messages.success(request, f"{isolated(person.name)} added to the directory.")
            return redirect("participants:detail", ws=ws, pk=person.pk)
    context = {
        "form": form,
        "profile_form": profile_form,
        "segments": services.segments(workspace),
        "segment_options_id": SEGMENT_OPTIONS_ID,
    }
    return render(request, "participants/participant_form.html", context)


def participant_detail(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    person = get_participant_for(request, ws, pk)
    asked, kept = split_profile(person.profile or {}, services.profile_keys(person.workspace))
    role, others = fold_role(person.role, asked)
    context = {
        "person": person,
        "role": role,
        "asked": others,
        "guides_ask": bool(asked),
        "kept": kept,
        "notes": services.notes_of(person),
        "note_form": ResearchNoteForm(),
        "recontact_form": RecontactForm(participant=person),
    }
    if person.is_erased:
        # Nothing is added to a person who asked to be forgotten: the page only reads.
        context["can_edit"] = False
    return render(request, "participants/participant_detail.html", context)


def participant_edit(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    person = get_participant_for(request, ws, pk, Need.EDIT)
    keys = services.profile_keys(person.workspace)
    form = ParticipantForm(request.POST or None, instance=person, workspace=person.workspace)
    profile_form = ProfileForm(request.POST or None, keys=keys, profile=person.profile)
    if request.method == "POST" and all([form.is_valid(), profile_form.is_valid()]):
        try:
            services.save_participant(
                person.workspace, form.save(commit=False), keys, profile_form.values
            )
        except services.EmailInUse:
            form.add_error("email", EMAIL_IN_USE)
        else:
            messages.success(request, "Participant saved.")
            return redirect("participants:detail", ws=ws, pk=person.pk)
    _, kept = split_profile(person.profile or {}, keys)
    context = {
        "form": form,
        "profile_form": profile_form,
        "person": person,
        "kept": kept,
        "segments": services.segments(person.workspace),
        "segment_options_id": SEGMENT_OPTIONS_ID,
    }
    return render(request, "participants/participant_form.html", context)


def participant_delete(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    person = get_participant_for(request, ws, pk, Need.EDIT)
    if request.method == "POST":
        try:
            services.delete_participant(person)
        except services.ParticipantInUse as error:
            messages.error(request, str(error))
            return redirect("participants:detail", ws=ws, pk=person.pk)
        messages.success(request, f"{isolated(person.name)} deleted, with their research notes.")
        return redirect("participants:list", ws=ws)
    context = {"person": person, "interview_count": person.interviews.count()}
    return render(request, "participants/participant_delete.html", context)


@post_only
def participant_recontact(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    """Record the answer on being contacted again, from any page that asks it (`next`)."""
    person = get_participant_for(request, ws, pk, Need.EDIT)
    form = RecontactForm(request.POST, participant=person)
    if form.is_valid():
        services.record_recontact(person, form.cleaned_data["recontact"])
        person.refresh_from_db()
        messages.success(request, f"Saved: {person.get_recontact_display().lower()}.")
    else:
        messages.error(request, "Pick an answer to save.")
    back = safe_next(request, request.POST.get("next"))
    return redirect(back or reverse("participants:detail", kwargs={"ws": ws, "pk": pk}))


def note_create(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    person = get_participant_for(request, ws, pk, Need.EDIT)
    form = ResearchNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_note(person, form.save(commit=False), current_user(request))
        messages.success(request, "Research note added.")
        return redirect("participants:detail", ws=ws, pk=person.pk)
    return render(request, "participants/note_form.html", {"form": form, "person": person})


def note_edit(request: WorkspaceRequest, ws: str, participant_pk: int, pk: int) -> HttpResponse:
    note = get_note_for(request, ws, participant_pk, pk, Need.EDIT)
    form = ResearchNoteForm(request.POST or None, instance=note)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Research note saved.")
        return redirect("participants:detail", ws=ws, pk=participant_pk)
    context = {"form": form, "person": note.participant, "note": note}
    return render(request, "participants/note_form.html", context)


def note_delete(request: WorkspaceRequest, ws: str, participant_pk: int, pk: int) -> HttpResponse:
    note = get_note_for(request, ws, participant_pk, pk, Need.EDIT)
    if request.method == "POST":
        note.delete()
        messages.success(request, "Research note deleted.")
        return redirect("participants:detail", ws=ws, pk=participant_pk)
    return render(
        request, "participants/note_delete.html", {"note": note, "person": note.participant}
    )


def import_upload(request: WorkspaceRequest, ws: str) -> HttpResponse:
    membership = membership_for(request, ws, Need.EDIT)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = imports.start_import(
            membership.workspace, membership.user, form.cleaned_data["file"].name, form.text
        )
        return redirect("participants:import_map", ws=ws, pk=upload.pk)
    context = {
        "form": form,
        "recent": imports.recent_imports(membership.workspace),
        "field_labels": FIELD_LABELS,
    }
    return render(request, "participants/import_upload.html", context)


def _finished(request: WorkspaceRequest, ws: str) -> HttpResponse:
    messages.info(request, "That file has been imported already.")
    return redirect("participants:list", ws=ws)


def _unreadable(request: WorkspaceRequest, ws: str, error: ImportFileError) -> HttpResponse:
    messages.error(request, f"{error} Nothing was imported.")
    return redirect("participants:import", ws=ws)


def import_map(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    upload = get_import_for(request, ws, pk)
    if upload.is_done:
        return _finished(request, ws)
    try:
        table = imports.table_of(upload)
    except ImportFileError as error:  # the row limit went down since the upload
        return _unreadable(request, ws, error)
    keys = services.profile_keys(upload.workspace)
    form = MappingForm(request.POST or None, table=table, keys=keys, mapping=upload.mapping)
    if request.method == "POST" and form.is_valid():
        imports.save_mapping(upload, form.mapping)
        return redirect("participants:import_preview", ws=ws, pk=upload.pk)
    parts = form.name_parts()
    context = {
        "upload": upload,
        "form": form,
        "table": table,
        "name_guessed": any(choice in ("name", *NAME_PARTS) for choice in upload.mapping),
        "name_sources": [table.column_name(index) for index in parts],
        "name_examples": joined_examples(table, parts) if parts else [],
    }
    return render(request, "participants/import_map.html", context)


def import_preview(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    """GET shows what the import would do; POST does it, completely or not at all."""
    upload = get_import_for(request, ws, pk)
    if upload.is_done:
        return _finished(request, ws)
    try:
        if request.method == "POST":
            plan = imports.apply_import(upload)
            messages.success(request, _summary(plan))
            return redirect("participants:list", ws=ws)
        plan = imports.plan_import(upload)
    except MappingError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("participants:import_map", ws=ws, pk=upload.pk)
    except ImportFileError as error:
        return _unreadable(request, ws, error)
    except imports.ImportBlocked as error:
        messages.error(request, str(error))
        upload.refresh_from_db()
        if upload.is_done:
            return redirect("participants:list", ws=ws)
        plan = imports.plan_import(upload)
    context = {
        "upload": upload,
        "plan": plan,
        "preview": plan.preview(PREVIEW_ROWS),
        "duplicates": plan.duplicates[:DUPLICATES_LISTED],
    }
    return render(request, "participants/import_preview.html", context)


@post_only
def import_duplicates(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    """Merge or skip rows whose email an earlier row has, one by one or all at once."""
    upload = get_import_for(request, ws, pk)
    if upload.is_done:
        return _finished(request, ws)
    try:
        plan = imports.plan_import(upload)
    except MappingError:
        return redirect("participants:import_map", ws=ws, pk=upload.pk)
    except ImportFileError as error:
        return _unreadable(request, ws, error)
    form = DuplicateChoicesForm(request.POST, rows=[p.row.number for p in plan.duplicates])
    if form.is_valid() and form.choices:
        imports.choose_duplicates(upload, form.choices)
        messages.success(request, "Saved. The preview below follows your choices.")
    else:
        messages.error(request, "Choose Merge or Skip for at least one row.")
    preview = reverse("participants:import_preview", kwargs={"ws": ws, "pk": upload.pk})
    return redirect(preview + "#duplicates-h")


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _summary(plan: imports.ImportPlan) -> str:
    parts = [f"Imported {_count(plan.new_count, 'new participant', 'new participants')}"]
    if plan.update_count:
        parts.append(f"filled in empty fields of {plan.update_count} already in the directory")
    if plan.skip_count:
        parts.append(f"left {plan.skip_count} unchanged (nothing new to add)")
    if plan.merge_count:
        parts.append(f"merged {_count(plan.merge_count, 'row', 'rows')} that repeated an email")
    if plan.skip_duplicate_count:
        parts.append(
            f"skipped {_count(plan.skip_duplicate_count, 'row', 'rows')} that repeated an email"
        )
    return ", ".join(parts) + "."


@post_only
def import_cancel(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    upload = get_import_for(request, ws, pk)
    if not upload.is_done:
        upload.delete()
        messages.info(request, "Import cancelled. Nothing was imported, and the file is gone.")
    return redirect("participants:list", ws=ws)


@get_only
def export_csv(request: WorkspaceRequest, ws: str) -> StreamedDownload:
    membership = export_membership_for(request, ws)
    people = services.directory(
        membership.workspace,
        query=request.GET.get("q", "").strip(),
        segment=request.GET.get("segment", ""),
    )
    audit.record_request(
        request,
        AuditAction.EXPORTED,
        export="participants_csv",
        filtered="q" in request.GET or "segment" in request.GET,
    )
    response = StreamedDownload(
        csv_stream(export.rows(membership.workspace, people)),
        content_type="text/csv; charset=utf-8",
    )
    filename = export.export_filename(membership.workspace, timezone.localdate())
    response["Content-Disposition"] = attachment(filename)
    return response
