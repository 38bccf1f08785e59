from django.urls import path

from heard.guides import views

app_name = "guides"

urlpatterns = [
    path("new/<int:study_pk>/", views.guide_create, name="create"),
    path("copy/<int:study_pk>/", views.guide_copy, name="copy"),
    path("<int:pk>/", views.guide_detail, name="detail"),
    path("<int:pk>/edit/", views.guide_edit, name="edit"),
    path("<int:pk>/delete/", views.guide_delete, name="delete"),
    path("<int:pk>/restore/", views.guide_restore, name="restore"),
    path("<int:pk>/print/", views.guide_print, name="print"),
    # Customer-profile fields
    path("<int:pk>/fields/new/", views.field_create, name="field_create"),
    path("<int:pk>/fields/reorder/", views.field_reorder, name="field_reorder"),
    path("<int:guide_pk>/fields/<int:pk>/edit/", views.field_edit, name="field_edit"),
    path("<int:guide_pk>/fields/<int:pk>/delete/", views.field_delete, name="field_delete"),
    path("<int:guide_pk>/fields/<int:pk>/move/", views.field_move, name="field_move"),
    # Sections
    path("<int:pk>/sections/new/", views.section_create, name="section_create"),
    path("<int:pk>/sections/reorder/", views.section_reorder, name="section_reorder"),
    path("<int:guide_pk>/sections/<int:pk>/edit/", views.section_edit, name="section_edit"),
    path("<int:guide_pk>/sections/<int:pk>/delete/", views.section_delete, name="section_delete"),
    path("<int:guide_pk>/sections/<int:pk>/move/", views.section_move, name="section_move"),
    # Questions, by section
    path(
        "<int:guide_pk>/sections/<int:pk>/questions/new/",
        views.question_create,
        name="question_create",
    ),
    path(
        "<int:guide_pk>/sections/<int:pk>/questions/reorder/",
        views.question_reorder,
        name="question_reorder",
    ),
    path("<int:guide_pk>/questions/<int:pk>/edit/", views.question_edit, name="question_edit"),
    path(
        "<int:guide_pk>/questions/<int:pk>/delete/", views.question_delete, name="question_delete"
    ),
    path("<int:guide_pk>/questions/<int:pk>/move/", views.question_move, name="question_move"),
]
