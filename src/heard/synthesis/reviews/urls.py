"""The review meeting and the decision log, mounted at `w/<ws>/`: starting a review and the
decision log are under the study, the review itself under `reviews/<pk>/`."""

from django.urls import path

from heard.synthesis.reviews import views

app_name = "reviews"

urlpatterns = [
    path("studies/<int:study_pk>/reviews/new/", views.review_start, name="start"),
    path("studies/<int:study_pk>/decisions/", views.decision_log, name="decisions"),
    path("reviews/<int:pk>/", views.review_board, name="board"),
    path("reviews/<int:pk>/present/", views.review_present, name="present"),
    path("reviews/<int:pk>/presenting/", views.review_presenting, name="presenting"),
    path("reviews/<int:pk>/findings/<int:finding_pk>/vote/", views.review_vote, name="vote"),
    path(
        "reviews/<int:pk>/findings/<int:finding_pk>/challenge/",
        views.review_challenge,
        name="challenge",
    ),
    path(
        "reviews/<int:pk>/challenges/<int:challenge_pk>/resolve/",
        views.challenge_resolve,
        name="challenge_resolve",
    ),
    path("reviews/<int:pk>/status/", views.review_status, name="status"),
    path("reviews/<int:pk>/decisions/new/", views.decision_add, name="decision_add"),
    path("reviews/<int:pk>/round/", views.review_round, name="round"),
    path("reviews/<int:pk>/round/draft/", views.review_round_draft, name="round_draft"),
]
