"""The calendar feed, mounted at the site's root: the person's own page beside their password
(`accounts/calendar/`), and the feed at its secret address (`calendar/<secret>.ics`), which
needs no session (`accounts.middleware.FirstRunMiddleware` lets `calendar/` through too)."""

from django.urls import path

from heard.interviews.calendar import views

app_name = "calendar"

urlpatterns = [
    path("accounts/calendar/", views.page, name="page"),
    path("accounts/calendar/new/", views.create, name="create"),
    path("accounts/calendar/stop/", views.stop, name="stop"),
    path("calendar/<str:token>.ics", views.feed, name="feed"),
]
