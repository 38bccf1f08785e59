"""Where every stage's pages live, in the method's order."""

from django.urls import include, path

urlpatterns = [
    path("", include("heard.site.urls")),
    path("", include("heard.accounts.urls")),
    # The audit log, for owners: the page, and `audit-log.csv` of what it shows
    path("w/<slug:ws>/settings/audit/", include("heard.accounts.audit.urls")),
    path("w/<slug:ws>/studies/", include("heard.studies.urls")),
    path("w/<slug:ws>/participants/", include("heard.participants.urls")),
    # A participant's requests (`participants/<pk>/erase/`, `…/everything.zip`), the retention
    # policy (`settings/retention/`) and an interview's hold on it
    path("w/<slug:ws>/", include("heard.privacy.urls")),
    path("w/<slug:ws>/guides/", include("heard.guides.urls")),
    path("w/<slug:ws>/interviews/", include("heard.interviews.urls")),
    # What an interview's participant agreed to: `consent/<topic>/` records an answer
    path("w/<slug:ws>/interviews/<int:pk>/consent/", include("heard.interviews.consent.urls")),
    # An interview's recordings: `recordings/…`, served only after the access check
    path(
        "w/<slug:ws>/interviews/<int:pk>/recordings/", include("heard.interviews.recordings.urls")
    ),
    # An interview's transcripts: `transcripts/…`, each at `transcripts/<id>/`
    path(
        "w/<slug:ws>/interviews/<int:pk>/transcripts/",
        include("heard.interviews.transcripts.urls"),
    ),
    # Each person's calendar feed: their page `accounts/calendar/…`, and the feed itself at
    # its secret address `calendar/<secret>.ics`, which needs no session
    path("", include("heard.interviews.calendar.urls")),
    # Follow-up emails: the workspace's `follow-up-templates/…`, an interview's `follow-ups/…`
    path("w/<slug:ws>/", include("heard.followups.urls")),
    # An interview's summary: `summary/…`, and `summary.md` beside it
    path("w/<slug:ws>/interviews/<int:pk>/", include("heard.synthesis.summaries.urls")),
    # A study's matrix: `matrix/`, and `matrix.xlsx` and `matrix.csv` beside it
    path("w/<slug:ws>/studies/<int:pk>/", include("heard.synthesis.matrix.urls")),
    path("w/<slug:ws>/studies/<int:study_pk>/findings/", include("heard.synthesis.findings.urls")),
    # A study as a REFI-QDA project: `refi-qda/project.qdpx`, `refi-qda/codebook.qdc`, and
    # importing a project coded in another program under `refi-qda/import/`
    path("w/<slug:ws>/studies/<int:pk>/", include("heard.exchange.urls")),
    # Reviews: `reviews/<pk>/…`, and starting one and the decision log under `studies/<pk>/`
    path("w/<slug:ws>/", include("heard.synthesis.reviews.urls")),
    # The interviewer coach: an interview's report, an interviewer's and a study's figures
    path("w/<slug:ws>/coach/", include("heard.coach.urls")),
    # Search across the workspace, and saved searches
    path("w/<slug:ws>/search/", include("heard.search.urls")),
    # Webhooks, among the workspace's settings: each one's page and its delivery log
    path("w/<slug:ws>/settings/webhooks/", include("heard.webhooks.urls")),
    # The REST API (`/api/v1/…`, its `openapi.json` and `docs`), let in by tokens; and the
    # workspace's page of API tokens
    path("api/v1/", include(("heard.api.urls", "ninja"), namespace="api")),
    path("w/<slug:ws>/settings/api-tokens/", include("heard.api.token_urls")),
]

# A busy database met outside a view answers 503, not 500 (heard/core/busy.py).
handler500 = "heard.core.busy.server_error"
