"""The audit log among the workspace's settings, mounted at `w/<ws>/settings/audit/`."""

from django.urls import path

from heard.accounts.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.audit_log, name="log"),
    path("audit-log.csv", views.audit_csv, name="csv"),
]
