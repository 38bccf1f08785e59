from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from heard.accounts.access import Need, post_only
from heard.accounts.requests import WorkspaceRequest
from heard.core.archiving import Outcome, delete_or_archive
from heard.core.bidi import isolated
from heard.core.dependents import Dependent, dependents_of
from heard.core.ordering import moved, reordered
from heard.guides import revising, services
from heard.guides.access import (
    get_guide_for,
    get_profile_field_for,
    get_question_for,
    get_section_for,
)
from heard.guides.forms import (
    CopyGuideForm,
    GuideCreateForm,
    GuideForm,
    ProfileFieldForm,
    QuestionForm,
    SectionForm,
)
from heard.guides.models import Guide
from heard.guides.template import SECTIONS as STARTER_SECTIONS
from heard.studies.access import get_study_for


def editor_url(ws: str, guide: Guide, anchor: str = "") -> str:
    """The guide's editor, scrolled to the item that just changed."""
    url = reverse("guides:detail", kwargs={"ws": ws, "pk": guide.pk})
    return f"{url}#{anchor}" if anchor else url


# Moving and reordering accept only POST. The views check access first and the method here,
# so that an outsider gets 404 whatever the method.


# Guides


def guide_create(request: WorkspaceRequest, ws: str, study_pk: int) -> HttpResponse:
    study = get_study_for(request, ws, study_pk, Need.EDIT)
    form = GuideCreateForm(request.POST or None, initial={"title": "Discovery interview"})
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        start_from = services.StartFrom(fields.pop("start_from"))
        guide = services.create_guide(study, start_from, **fields)
        if start_from is services.StartFrom.TEMPLATE:
            messages.success(
                request,
                "Guide created from the template. Adapt the questions to your study and link "
                "each one to the validation points it serves.",
            )
        else:
            messages.success(request, "Guide created. Add its first section.")
        return redirect("guides:detail", ws=ws, pk=guide.pk)
    context = {"form": form, "study": study, "starter": STARTER_SECTIONS}
    return render(request, "guides/guide_create.html", context)


def guide_copy(request: WorkspaceRequest, ws: str, study_pk: int) -> HttpResponse:
    study = get_study_for(request, ws, study_pk, Need.EDIT)
    guides = list(services.copy_sources(study))
    form = CopyGuideForm(request.POST or None, guides=guides, study=study)
    if request.method == "POST" and form.is_valid():
        source = form.source_guide()
        result = services.copy_guide(source, study, form.cleaned_data["title"])
        text = f"Copied “{source.title}”."
        if dropped := result.dropped_links:
            links = "1 link" if dropped == 1 else f"{dropped} links"
            text += (
                f" {links} to validation points of “{source.study.title}” "
                f"{'was' if dropped == 1 else 'were'} left out, as points belong to their study: "
                "link the questions to this study's points."
            )
        messages.success(request, text)
        return redirect("guides:detail", ws=ws, pk=result.guide.pk)
    return render(request, "guides/guide_copy.html", {"form": form, "study": study})


def guide_detail(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    guide = get_guide_for(request, ws, pk)
    context = {
        "guide": guide,
        "study": guide.study,
        "plan": services.plan_for(guide),
        "section_form": SectionForm(),
        "field_form": ProfileFieldForm(),
    }
    return render(request, "guides/guide_detail.html", context)


def guide_edit(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    guide = get_guide_for(request, ws, pk, Need.EDIT)
    form = GuideForm(request.POST or None, instance=guide)
    if request.method == "POST" and form.is_valid():
        form.save()
        services.touch(guide)
        messages.success(request, "Guide saved.")
        return redirect("guides:detail", ws=ws, pk=guide.pk)
    context = {"form": form, "guide": guide, "study": guide.study}
    return render(request, "guides/guide_form.html", context)


def guide_delete(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    """Delete a guide no held interview used; archive one that held interviews used."""
    guide = get_guide_for(request, ws, pk, Need.EDIT)
    if request.method == "POST":
        # Interviews not held yet may lose the guide: they have said nothing yet.
        outcome, kept = delete_or_archive(
            guide, release=lambda: guide.interviews.update(guide=None)
        )
        if outcome == Outcome.DELETED:
            messages.success(request, f"Guide “{isolated(guide.title)}” deleted.")
            return redirect("studies:detail", ws=ws, pk=guide.study.pk)
        messages.success(request, _archived(f"Guide “{isolated(guide.title)}”", kept))
        return redirect("guides:detail", ws=ws, pk=guide.pk)
    context = {
        "guide": guide,
        "study": guide.study,
        "interviews": guide.interviews.count(),
        "kept": dependents_of(guide),
    }
    return render(request, "guides/guide_delete.html", context)


@post_only
def guide_restore(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    guide = get_guide_for(request, ws, pk, Need.EDIT)
    guide.restore()
    services.touch(guide)
    messages.success(
        request, f"Guide “{isolated(guide.title)}” restored: new interviews may use it."
    )
    return redirect("guides:detail", ws=ws, pk=guide.pk)


def _kept_as_asked(copied: bool) -> str:
    """What saving adds when the part was copied (`guides.revising`)."""
    return " Interviews already held keep it as they asked it." if copied else ""


def _archived(what: str, kept: list[Dependent]) -> str:
    return (
        f"{what} archived, not deleted: {', '.join(k.label for k in kept)}. Held interviews "
        "keep it as they saw it; new interviews and the editor no longer show it."
    )


def guide_print(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    """The one-page hard copy; from an interview (?interview=pk) its blanks come filled in
    (by the interviews' own template tag)."""
    guide = get_guide_for(request, ws, pk)
    held_at = services.held_at(guide, request.GET.get("interview", ""))
    context = {"guide": guide, "study": guide.study, "plan": services.plan_for(guide, held_at)}
    return render(request, "guides/guide_print.html", context)


# Customer-profile fields


def field_create(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    guide = get_guide_for(request, ws, pk, Need.EDIT)
    form = ProfileFieldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_profile_field(guide, form.save(commit=False))
        messages.success(request, "Profile field added.")
        return redirect(editor_url(ws, guide, "profile"))
    context = {"form": form, "guide": guide, "study": guide.study}
    return render(request, "guides/field_form.html", context)


def field_edit(request: WorkspaceRequest, ws: str, guide_pk: int, pk: int) -> HttpResponse:
    field = get_profile_field_for(request, ws, guide_pk, pk, Need.EDIT)
    form = ProfileFieldForm(request.POST or None, instance=field)
    if request.method == "POST" and form.is_valid():
        form.save()
        services.touch(field.guide)
        messages.success(request, "Profile field saved.")
        return redirect(editor_url(ws, field.guide, "profile"))
    context = {"form": form, "field": field, "guide": field.guide, "study": field.guide.study}
    return render(request, "guides/field_form.html", context)


def field_delete(request: WorkspaceRequest, ws: str, guide_pk: int, pk: int) -> HttpResponse:
    field = get_profile_field_for(request, ws, guide_pk, pk, Need.EDIT)
    if request.method == "POST":
        field.delete()
        services.touch(field.guide)
        messages.success(request, f"Profile field “{isolated(field.label)}” deleted.")
        return redirect(editor_url(ws, field.guide, "profile"))
    context = {"field": field, "guide": field.guide, "study": field.guide.study}
    return render(request, "guides/field_delete.html", context)


def field_move(request: WorkspaceRequest, ws: str, guide_pk: int, pk: int) -> HttpResponse:
    field = get_profile_field_for(request, ws, guide_pk, pk, Need.EDIT)
    back_to = editor_url(ws, field.guide, f"field-{field.pk}")
    return moved(request, field.guide.profile_fields.all(), field.pk, back_to)


def field_reorder(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    guide = get_guide_for(request, ws, pk, Need.EDIT)
    return reordered(request, guide.profile_fields.all())


# Sections


def section_create(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    guide = get_guide_for(request, ws, pk, Need.EDIT)
    form = SectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        section = services.add_section(guide, form.save(commit=False))
        messages.success(request, f"Section “{isolated(section.title)}” added. Add its questions.")
        return redirect(editor_url(ws, guide, f"section-{section.pk}"))
    context = {"form": form, "guide": guide, "study": guide.study}
    return render(request, "guides/section_form.html", context)


def section_edit(request: WorkspaceRequest, ws: str, guide_pk: int, pk: int) -> HttpResponse:
    section = get_section_for(request, ws, guide_pk, pk, Need.EDIT)
    form = SectionForm(request.POST or None, instance=section)
    if request.method == "POST" and form.is_valid():
        if form.has_changed():
            section = revising.revise_section(form.save(commit=False))
        messages.success(request, "Section saved." + _kept_as_asked(section.pk != pk))
        return redirect(editor_url(ws, section.guide, f"section-{section.pk}"))
    context = {
        "form": form,
        "section": section,
        "guide": section.guide,
        "study": section.guide.study,
    }
    return render(request, "guides/section_form.html", context)


def section_delete(request: WorkspaceRequest, ws: str, guide_pk: int, pk: int) -> HttpResponse:
    section = get_section_for(request, ws, guide_pk, pk, Need.EDIT)
    if request.method == "POST":
        outcome, kept = delete_or_archive(section)
        services.touch(section.guide)
        what = f"Section “{isolated(section.title)}”"
        if outcome == Outcome.DELETED:
            messages.success(request, f"{what} and its questions deleted.")
        else:
            messages.success(request, _archived(f"{what}, with its questions,", kept))
        return redirect(editor_url(ws, section.guide))
    context = {
        "section": section,
        "questions": section.questions.current().count(),
        "guide": section.guide,
        "study": section.guide.study,
        "kept": dependents_of(section),
    }
    return render(request, "guides/section_delete.html", context)


def section_move(request: WorkspaceRequest, ws: str, guide_pk: int, pk: int) -> HttpResponse:
    section = get_section_for(request, ws, guide_pk, pk, Need.EDIT)
    back_to = editor_url(ws, section.guide, f"section-{section.pk}")
    return moved(request, section.guide.sections.current(), section.pk, back_to)


def section_reorder(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    guide = get_guide_for(request, ws, pk, Need.EDIT)
    return reordered(request, guide.sections.current())


# Questions


def question_create(request: WorkspaceRequest, ws: str, guide_pk: int, pk: int) -> HttpResponse:
    section = get_section_for(request, ws, guide_pk, pk, Need.EDIT)
    guide = section.guide
    form = QuestionForm(request.POST or None, guide=guide, initial={"section": section})
    if request.method == "POST" and form.is_valid():
        question = services.save_question(guide, form.save(commit=False))
        form.save_m2m()
        messages.success(request, "Question added.")
        return redirect(editor_url(ws, guide, f"question-{question.pk}"))
    context = {"form": form, "section": section, "guide": guide, "study": guide.study}
    return render(request, "guides/question_form.html", context)


def question_edit(request: WorkspaceRequest, ws: str, guide_pk: int, pk: int) -> HttpResponse:
    question = get_question_for(request, ws, guide_pk, pk, Need.EDIT)
    guide = question.section.guide
    previous_section_id = question.section_id
    form = QuestionForm(request.POST or None, instance=question, guide=guide)
    if request.method == "POST" and form.is_valid():
        if form.has_changed():
            question = revising.revise_question(
                guide, form.save(commit=False), previous_section_id, form.cleaned_data["points"]
            )
        messages.success(request, "Question saved." + _kept_as_asked(question.pk != pk))
        return redirect(editor_url(ws, guide, f"question-{question.pk}"))
    context = {"form": form, "question": question, "guide": guide, "study": guide.study}
    return render(request, "guides/question_form.html", context)


def question_delete(request: WorkspaceRequest, ws: str, guide_pk: int, pk: int) -> HttpResponse:
    question = get_question_for(request, ws, guide_pk, pk, Need.EDIT)
    guide = question.section.guide
    if request.method == "POST":
        outcome, kept = delete_or_archive(question)
        services.touch(guide)
        if outcome == Outcome.DELETED:
            messages.success(request, "Question deleted.")
        else:
            messages.success(request, _archived("The question", kept))
        return redirect(editor_url(ws, guide, f"section-{question.section_id}"))
    context = {
        "question": question,
        "guide": guide,
        "study": guide.study,
        "kept": dependents_of(question),
    }
    return render(request, "guides/question_delete.html", context)


def question_move(request: WorkspaceRequest, ws: str, guide_pk: int, pk: int) -> HttpResponse:
    question = get_question_for(request, ws, guide_pk, pk, Need.EDIT)
    back_to = editor_url(ws, question.section.guide, f"question-{question.pk}")
    return moved(request, question.section.questions.current(), question.pk, back_to)


def question_reorder(request: WorkspaceRequest, ws: str, guide_pk: int, pk: int) -> HttpResponse:
    section = get_section_for(request, ws, guide_pk, pk, Need.EDIT)
    return reordered(request, section.questions.current())
