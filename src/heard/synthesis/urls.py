from django.urls import path

from heard.synthesis import views

app_name = "synthesis"

urlpatterns = [
    path("interviews/<int:pk>/summary/", views.summary_page, name="summary"),
    path("interviews/<int:pk>/summary/start/", views.summary_start, name="start"),
    path(
        "interviews/<int:pk>/summary/points/<int:point_pk>/stance/",
        views.stance_set,
        name="stance",
    ),
    path(
        "interviews/<int:pk>/summary/points/<int:point_pk>/heard/",
        views.heard_set,
        name="heard",
    ),
    path("interviews/<int:pk>/summary/texts/<slug:section>/", views.text_set, name="text"),
    path("interviews/<int:pk>/summary/quotes/add/", views.quote_add, name="quote_add"),
    path(
        "interviews/<int:pk>/summary/quotes/<int:quote_pk>/edit/",
        views.quote_edit,
        name="quote_edit",
    ),
    path(
        "interviews/<int:pk>/summary/quotes/<int:quote_pk>/remove/",
        views.quote_remove,
        name="quote_remove",
    ),
    path("interviews/<int:pk>/summary/final/", views.summary_finalise, name="finalise"),
    path("interviews/<int:pk>/summary/reopen/", views.summary_reopen, name="reopen"),
    path("interviews/<int:pk>/summary.md", views.summary_markdown, name="markdown"),
    path("interviews/<int:pk>/summary/print/", views.summary_print, name="print"),
]
