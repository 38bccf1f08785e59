"""What synthesis tells later stages, which it does not import, once each change has
committed (a change rolled back tells nobody): a summary marked final, a finding's alignment
in a review moved, a decision recorded. The webhooks tell the team's other tools."""

from __future__ import annotations

from django.dispatch import Signal

summary_finalised = Signal()  # sent with summary_id=<int>
# Sent with review_id=<int>, finding_id=<int>, alignment=<reviews.services.Alignment value>.
alignment_changed = Signal()
decision_recorded = Signal()  # sent with decision_id=<int>
