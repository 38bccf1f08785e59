"""The synthesis matrix of a study, mounted at `w/<ws>/studies/<pk>/`: the page under
`matrix/`, its downloads beside it as `matrix.xlsx` and `matrix.csv`."""

from django.urls import path

from heard.synthesis.matrix import views

app_name = "matrix"

urlpatterns = [
    path("matrix/", views.matrix_page, name="page"),
    path("matrix.xlsx", views.matrix_xlsx, name="xlsx"),
    path("matrix.csv", views.matrix_csv, name="csv"),
]
