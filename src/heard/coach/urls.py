from django.urls import path

from heard.coach import views

app_name = "coach"

urlpatterns = [
    path("interviews/<int:pk>/", views.report, name="report"),
    path("interviews/<int:pk>/again/", views.recompute, name="recompute"),
    path("interviews/<int:pk>/coach.json", views.report_json, name="report_json"),
    path("people/<int:user_pk>/", views.person, name="person"),
    path("studies/<int:pk>/", views.study, name="study"),
    path("studies/<int:pk>/coach.json", views.study_json, name="study_json"),
    path("settings/", views.policy, name="policy"),
]
