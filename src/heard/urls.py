from django.urls import include, path

urlpatterns = [
    path("", include("heard.core.urls")),
    path("", include("heard.accounts.urls")),
    path("w/<slug:ws>/studies/", include("heard.studies.urls")),
    path("w/<slug:ws>/participants/", include("heard.participants.urls")),
    path("w/<slug:ws>/guides/", include("heard.guides.urls")),
    path("w/<slug:ws>/interviews/", include("heard.interviews.urls")),
    path("w/<slug:ws>/", include("heard.followups.urls")),
    path("w/<slug:ws>/", include("heard.synthesis.urls")),
    path("w/<slug:ws>/interviews/<int:pk>/", include("heard.synthesis.summaries.urls")),
    path("w/<slug:ws>/studies/<int:pk>/", include("heard.synthesis.matrix.urls")),
    path("w/<slug:ws>/studies/<int:study_pk>/findings/", include("heard.synthesis.findings.urls")),
]
