"""The summary of one interview, mounted at `w/<ws>/interviews/<pk>/`: the editor under
`summary/`, and its Markdown export beside it as `summary.md`."""

from django.urls import path

from heard.synthesis.summaries import removing, views

app_name = "summaries"

urlpatterns = [
    path("summary/", views.summary_page, name="detail"),
    path("summary/start/", views.summary_start, name="start"),
    path("summary/points/<int:point_pk>/stance/", views.stance_set, name="stance"),
    path("summary/points/<int:point_pk>/heard/", views.heard_set, name="heard"),
    path("summary/texts/<slug:section>/", views.text_set, name="text"),
    path("summary/measures/<uuid:note_id>/", views.measure_set, name="measure"),
    path("summary/quotes/add/", views.quote_add, name="quote_add"),
    path("summary/quotes/<int:quote_pk>/edit/", views.quote_edit, name="quote_edit"),
    path("summary/quotes/<int:quote_pk>/remove/", removing.quote_remove, name="quote_remove"),
    path("summary/final/", views.summary_finalise, name="finalise"),
    path("summary/reopen/", views.summary_reopen, name="reopen"),
    path("summary.md", views.summary_markdown, name="markdown"),
    path("summary/print/", views.summary_print, name="print"),
]
