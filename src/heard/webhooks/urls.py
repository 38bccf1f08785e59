"""A workspace's webhooks, among its settings: mounted at `w/<ws>/settings/webhooks/`."""

from django.urls import path

from heard.webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("", views.webhook_list, name="list"),
    path("new/", views.webhook_create, name="create"),
    path("<int:pk>/", views.webhook_detail, name="detail"),
    path("<int:pk>/edit/", views.webhook_edit, name="edit"),
    path("<int:pk>/delete/", views.webhook_delete, name="delete"),
    path("<int:pk>/secret/", views.webhook_secret, name="secret"),
    path(
        "<int:pk>/deliveries/<int:delivery_pk>/send-again/",
        views.delivery_resend,
        name="resend",
    ),
]
