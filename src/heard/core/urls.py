from django.urls import path

from heard.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("w/<slug:ws>/", views.workspace_home, name="workspace"),
]
