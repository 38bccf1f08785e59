"""What the participant agreed to: the records of each answer (`records.py`), the rules for
recording a new one (`services.py`), the interview's consent card and page, and the list on
the participant's page."""
