from django.urls import path

from heard.participants import views

app_name = "participants"

urlpatterns = [
    path("", views.participant_list, name="list"),
    path("new/", views.participant_create, name="create"),
    path("export/", views.export_csv, name="export"),
    path("picker/", views.participant_picker, name="picker"),
    path("import/", views.import_upload, name="import"),
    path("import/<int:pk>/columns/", views.import_map, name="import_map"),
    path("import/<int:pk>/preview/", views.import_preview, name="import_preview"),
    path("import/<int:pk>/duplicates/", views.import_duplicates, name="import_duplicates"),
    path("import/<int:pk>/cancel/", views.import_cancel, name="import_cancel"),
    path("<int:pk>/", views.participant_detail, name="detail"),
    path("<int:pk>/edit/", views.participant_edit, name="edit"),
    path("<int:pk>/delete/", views.participant_delete, name="delete"),
    path("<int:pk>/recontact/", views.participant_recontact, name="recontact"),
    path("<int:pk>/notes/new/", views.note_create, name="note_create"),
    path("<int:participant_pk>/notes/<int:pk>/edit/", views.note_edit, name="note_edit"),
    path("<int:participant_pk>/notes/<int:pk>/delete/", views.note_delete, name="note_delete"),
]
