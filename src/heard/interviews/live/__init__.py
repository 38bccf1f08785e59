"""The live call: running an interview, apart from planning it (see docs/architecture.md).

Every change is written together with a LiveEvent in one transaction; screens follow the
log after a cursor, so several browsers and several server processes stay in step.

- budget.py: the time budget
- events.py: the event log: its kinds, appending an event, an event as the screens get it
- state.py: the JSON shapes of the screen (the snapshot, an interview, a note)
- checks.py: what every change checks first (refusals, the row lock, ids from browsers)
- milestones.py: start, consent, intros, the team's reserve, end
- notes.py: notes that are never lost or doubled; delete and restore
- questions.py: question states, and the queue for the team's reserve
- reads.py: the events after a cursor (in SQL), the notes, the wrap-up
- feed.py, presence.py: following the log as it grows, and who is there
- views.py, urls.py: the page, its JSON API and the wrap-up
"""
