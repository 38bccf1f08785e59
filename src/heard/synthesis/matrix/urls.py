"""The synthesis matrix of a study, mounted at `w/<ws>/studies/<pk>/`: the page under
`matrix/`, its downloads beside it as `matrix.xlsx` and `matrix.csv`, and a large study's
XLSX made in the background under `matrix/export/` (asking) and `matrix/exports/<id>/` (its
progress, then its file)."""

from django.urls import path

from heard.synthesis.matrix import export_views, views

app_name = "matrix"

urlpatterns = [
    path("matrix/", views.matrix_page, name="page"),
    path("matrix.xlsx", views.matrix_xlsx, name="xlsx"),
    path("matrix.csv", views.matrix_csv, name="csv"),
    path("matrix/export/", export_views.export_start, name="export_start"),
    path("matrix/exports/<int:export_pk>/", export_views.export_status, name="export"),
    path("matrix/exports/<int:export_pk>/file/", export_views.export_file, name="export_file"),
]
