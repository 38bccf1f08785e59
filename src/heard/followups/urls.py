from django.urls import path

from heard.followups import views

app_name = "followups"

FOLLOWUP = "interviews/<int:interview_pk>/follow-ups/<int:pk>/"

urlpatterns = [
    path("follow-up-templates/", views.template_list, name="templates"),
    path("follow-up-templates/new/", views.template_create, name="template_create"),
    path("follow-up-templates/<int:pk>/edit/", views.template_edit, name="template_edit"),
    path("follow-up-templates/<int:pk>/delete/", views.template_delete, name="template_delete"),
    path("interviews/<int:interview_pk>/follow-ups/new/", views.followup_create, name="create"),
    path(FOLLOWUP, views.followup_detail, name="detail"),
    path(FOLLOWUP + "edit/", views.followup_edit, name="edit"),
    path(FOLLOWUP + "send/", views.followup_send, name="send"),
    path(FOLLOWUP + "sent-by-hand/", views.followup_sent_by_hand, name="sent_by_hand"),
    path(FOLLOWUP + "outcome/", views.followup_outcome, name="outcome"),
    path(FOLLOWUP + "delete/", views.followup_delete, name="delete"),
    path(FOLLOWUP + "follow-up.eml", views.followup_eml, name="eml"),
]
