from django.contrib.auth import views as auth_views
from django.urls import path

from heard.accounts import views

app_name = "accounts"

urlpatterns = [
    path("setup/", views.setup, name="setup"),
    path("accounts/login/", views.sign_in, name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/sign-in/<str:token>/", views.sign_in_link, name="sign_in_link"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("workspaces/new/", views.workspace_new, name="workspace_new"),
    path("w/<slug:ws>/team/", views.team, name="team"),
    path("w/<slug:ws>/settings/", views.workspace_settings, name="workspace_settings"),
    path("w/<slug:ws>/team/invitations/", views.invitation_create, name="invitation_create"),
    path(
        "w/<slug:ws>/team/invitations/<int:pk>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "w/<slug:ws>/team/invitations/<int:pk>/send/",
        views.invitation_send,
        name="invitation_send",
    ),
    path("w/<slug:ws>/team/members/<int:pk>/role/", views.member_role, name="member_role"),
    path("w/<slug:ws>/team/members/<int:pk>/remove/", views.member_remove, name="member_remove"),
]
