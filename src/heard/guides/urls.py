from django.urls import path

from heard.guides import views

app_name = "guides"

urlpatterns = [
    path("new/<int:study_pk>/", views.guide_create, name="create"),
    path("copy/<int:study_pk>/", views.guide_copy, name="copy"),
    path("<int:pk>/", views.guide_detail, name="detail"),
]
