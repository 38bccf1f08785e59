"""Each person's calendar feed: every interview they are on the team of, across their
workspaces, at a secret address their calendar app subscribes to and follows.

The address's secret is made by the person on their own page (`views.py`), shown once and
kept only as its SHA-256 (`models/calendar.py`); the feed (`feed.py`) holds the same event as
the team's invitation (`interviews/invitation.py`) for each interview.
"""
