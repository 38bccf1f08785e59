"""The findings of a study, weighed by their evidence: mounted at
`w/<ws>/studies/<study_pk>/findings/`."""

from django.urls import path

from heard.synthesis.findings import views

app_name = "findings"

urlpatterns = [
    path("", views.findings_page, name="list"),
    path("new/", views.finding_create, name="create"),
    path("<int:pk>/", views.finding_detail, name="detail"),
    path("<int:pk>/edit/", views.finding_edit, name="edit"),
    path("<int:pk>/delete/", views.finding_delete, name="delete"),
    path("<int:pk>/evidence/", views.finding_evidence, name="evidence"),
    path("<int:pk>/evidence/pick/", views.evidence_pick, name="evidence_pick"),
]
