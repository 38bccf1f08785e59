"""A workspace's webhooks, among its settings: the list, adding and changing one, its signing
secret (shown whole once), its delivery log with "Send again". Owners only."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from heard.accounts import audit
from heard.accounts.access import current_user, get_only, post_only
from heard.accounts.models import AuditAction
from heard.accounts.requests import WorkspaceRequest
from heard.webhooks import sending, services
from heard.webhooks.access import get_delivery_for, get_webhook_for, webhooks_membership
from heard.webhooks.forms import WebhookForm
from heard.webhooks.models import Webhook

LOG_PAGE = 20
NAV = {"nav_section": "accounts"}


def _secret_key(pk: int) -> str:
    return f"webhook_secret_{pk}"


def _audit(request: WorkspaceRequest, hook: Webhook, change: str, **details: object) -> None:
    """The audit log's line for a change to a webhook, which decides what leaves Heard. The
    label names the host alone: an address's path or query may hold a receiver's secret."""
    audit.record_request(
        request,
        AuditAction.WEBHOOK_CHANGED,
        target=hook,
        target_label=f"the webhook to {urlsplit(hook.url).hostname or 'an address'}",
        change=change,
        **details,
    )


@get_only
def webhook_list(request: WorkspaceRequest, ws: str) -> HttpResponse:
    membership = webhooks_membership(request, ws)
    rows = services.webhooks_of(membership.workspace)
    return render(request, "webhooks/webhook_list.html", {**NAV, "rows": rows})


def webhook_create(request: WorkspaceRequest, ws: str) -> HttpResponse:
    membership = webhooks_membership(request, ws)
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        hook = services.create(
            membership.workspace,
            current_user(request),
            url=form.cleaned_data["url"],
            events=form.cleaned_data["events"],
            description=form.cleaned_data["description"],
        )
        request.session[_secret_key(hook.pk)] = hook.secret
        _audit(request, hook, "added")
        messages.success(request, "Webhook added. Copy its signing secret now.")
        return redirect("webhooks:detail", ws=ws, pk=hook.pk)
    return render(request, "webhooks/webhook_form.html", {**NAV, "form": form})


@get_only
def webhook_detail(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    hook = get_webhook_for(request, ws, pk)
    services.revive_stalled(hook)
    page = Paginator(services.deliveries_of(hook), LOG_PAGE).get_page(request.GET.get("page"))
    context = {
        **NAV,
        "hook": hook,
        "new_secret": request.session.pop(_secret_key(hook.pk), None),
        "page": page,
        "log": services.log_of(list(page.object_list)),
        "user_agent": sending.USER_AGENT,
    }
    return render(request, "webhooks/webhook_detail.html", context)


def webhook_edit(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    hook = get_webhook_for(request, ws, pk)
    form = WebhookForm(request.POST or None, instance=hook)
    if request.method == "POST" and form.is_valid():
        form.save()
        if form.changed_data:
            _audit(request, hook, "edited", fields=sorted(form.changed_data))
        messages.success(request, "Webhook saved.")
        return redirect("webhooks:detail", ws=ws, pk=hook.pk)
    return render(request, "webhooks/webhook_form.html", {**NAV, "form": form, "hook": hook})


def webhook_delete(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    hook = get_webhook_for(request, ws, pk)
    if request.method == "POST":
        _audit(request, hook, "deleted")
        services.delete(hook)
        messages.success(request, "Webhook deleted, with its delivery log.")
        return redirect("webhooks:list", ws=ws)
    return render(request, "webhooks/webhook_delete.html", {**NAV, "hook": hook})


@post_only
def webhook_secret(request: WorkspaceRequest, ws: str, pk: int) -> HttpResponse:
    hook = get_webhook_for(request, ws, pk)
    request.session[_secret_key(hook.pk)] = services.make_new_secret(hook)
    _audit(request, hook, "new_secret")
    messages.success(request, "New signing secret made: requests are signed with it from now on.")
    return redirect("webhooks:detail", ws=ws, pk=hook.pk)


@post_only
def delivery_resend(request: WorkspaceRequest, ws: str, pk: int, delivery_pk: int) -> HttpResponse:
    delivery = get_delivery_for(request, ws, pk, delivery_pk)
    if sending.send_again(delivery):
        messages.success(request, "Sent again: the log shows the attempt once the worker made it.")
    else:
        messages.error(request, "This delivery is on its way already.")
    address = reverse("webhooks:detail", kwargs={"ws": ws, "pk": pk})
    return redirect(f"{address}#delivery-{delivery.pk}")
