from django.urls import path

from heard.studies import views

app_name = "studies"

urlpatterns = [
    path("", views.study_list, name="list"),
    path("new/", views.study_create, name="create"),
    path("<int:pk>/", views.study_detail, name="detail"),
    path("<int:pk>/edit/", views.study_edit, name="edit"),
    path("<int:pk>/delete/", views.study_delete, name="delete"),
    path("<int:pk>/points/new/", views.point_create, name="point_create"),
    path("<int:pk>/points/reorder/", views.point_reorder, name="point_reorder"),
    path("<int:study_pk>/points/<int:pk>/edit/", views.point_edit, name="point_edit"),
    path("<int:study_pk>/points/<int:pk>/delete/", views.point_delete, name="point_delete"),
    path("<int:study_pk>/points/<int:pk>/move/", views.point_move, name="point_move"),
    path("<int:study_pk>/points/<int:pk>/archive/", views.point_archive, name="point_archive"),
    path("<int:study_pk>/points/<int:pk>/restore/", views.point_restore, name="point_restore"),
]
