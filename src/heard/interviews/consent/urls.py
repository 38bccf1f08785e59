"""An interview's consent, mounted at `w/<ws>/interviews/<pk>/consent/`."""

from django.urls import path

from heard.interviews.consent import views

app_name = "consent"

urlpatterns = [
    path("<slug:topic>/", views.consent_record, name="record"),
]
