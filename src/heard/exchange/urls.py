"""A study's exchange with qualitative analysis programs, mounted at `w/<ws>/studies/<pk>/`:
`refi-qda/project.qdpx` and `refi-qda/codebook.qdc` to download, and importing a coded
project under `refi-qda/import/` (upload), `…/import/<id>/` (check, then import) and
`…/import/<id>/cancel/`."""

from django.urls import path

from heard.exchange import views

app_name = "exchange"

urlpatterns = [
    path("refi-qda/project.qdpx", views.project_file, name="project"),
    path("refi-qda/codebook.qdc", views.codebook_file, name="codebook"),
    path("refi-qda/import/", views.import_upload, name="import"),
    path("refi-qda/import/<int:import_pk>/", views.import_check, name="import_check"),
    path("refi-qda/import/<int:import_pk>/cancel/", views.import_cancel, name="import_cancel"),
]
