from django.urls import include, path

from heard.interviews import views

app_name = "interviews"

urlpatterns = [
    path("", views.interview_list, name="list"),
    path("new/", views.interview_create, name="create"),
    path("new/guides/", views.guide_options, name="guide_options"),
    path("<int:pk>/", views.interview_detail, name="detail"),
    path("<int:pk>/edit/", views.interview_edit, name="edit"),
    path("<int:pk>/cancel/", views.interview_cancel, name="cancel"),
    path("<int:pk>/reinstate/", views.interview_reinstate, name="reinstate"),
    path("<int:pk>/invitation.ics", views.interview_ics, name="ics"),
    path("<int:pk>/customer-invitation.ics", views.interview_customer_ics, name="customer_ics"),
    path("<int:pk>/team/add/", views.team_add, name="team_add"),
    path("<int:interview_pk>/team/<int:pk>/edit/", views.team_edit, name="team_edit"),
    path("<int:interview_pk>/team/<int:pk>/remove/", views.team_remove, name="team_remove"),
    path(
        "<int:interview_pk>/checklist/<int:pk>/toggle/",
        views.checklist_toggle,
        name="checklist_toggle",
    ),
    # Running the call: the live screen, its API and the wrap-up (same namespace).
    path("<int:pk>/", include("heard.interviews.live.urls")),
]
