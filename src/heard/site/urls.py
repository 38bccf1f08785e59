from django.urls import path

from heard.site import views

app_name = "site"

urlpatterns = [
    path("", views.home, name="home"),
    path("w/<slug:ws>/", views.workspace_home, name="workspace"),
]
