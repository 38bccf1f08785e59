from django.urls import path

from heard.synthesis import review_views

app_name = "synthesis"

urlpatterns = [
    # The review meeting and the decision log
    path("studies/<int:study_pk>/reviews/new/", review_views.review_start, name="review_start"),
    path("studies/<int:study_pk>/decisions/", review_views.decision_log, name="decisions"),
    path("reviews/<int:pk>/", review_views.review_board, name="review"),
    path("reviews/<int:pk>/present/", review_views.review_present, name="review_present"),
    path(
        "reviews/<int:pk>/findings/<int:finding_pk>/vote/",
        review_views.review_vote,
        name="review_vote",
    ),
    path(
        "reviews/<int:pk>/findings/<int:finding_pk>/challenge/",
        review_views.review_challenge,
        name="review_challenge",
    ),
    path(
        "reviews/<int:pk>/challenges/<int:challenge_pk>/resolve/",
        review_views.challenge_resolve,
        name="challenge_resolve",
    ),
    path("reviews/<int:pk>/status/", review_views.review_status, name="review_status"),
    path("reviews/<int:pk>/decisions/new/", review_views.decision_add, name="decision_add"),
    path("reviews/<int:pk>/round/", review_views.review_round, name="review_round"),
    path(
        "reviews/<int:pk>/round/draft/", review_views.review_round_draft, name="review_round_draft"
    ),
]
