from django.urls import path

from heard.interviews import views

app_name = "interviews"

urlpatterns = [
    path("", views.interview_list, name="list"),
    path("new/", views.interview_create, name="create"),
    path("<int:pk>/", views.interview_detail, name="detail"),
]
