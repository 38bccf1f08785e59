"""The synthesis app's models: summaries (summaries.py), findings and their evidence
(findings.py), review meetings and the decision log (reviews.py)."""

from heard.synthesis.models.findings import (
    FINDING_MAX_LENGTH,
    Evidence,
    EvidenceBearing,
    Finding,
    RemovedEvidence,
)
from heard.synthesis.models.reviews import (
    Challenge,
    Decision,
    Review,
    ReviewStatus,
    Vote,
    VoteChoice,
)
from heard.synthesis.models.summaries import (
    Bearing,
    PointSummary,
    Quote,
    Stance,
    Summary,
    SummaryStatus,
    Voice,
)

__all__ = [
    "FINDING_MAX_LENGTH",
    "Bearing",
    "Challenge",
    "Decision",
    "Evidence",
    "EvidenceBearing",
    "Finding",
    "PointSummary",
    "Quote",
    "RemovedEvidence",
    "Review",
    "ReviewStatus",
    "Stance",
    "Summary",
    "SummaryStatus",
    "Voice",
    "Vote",
    "VoteChoice",
]
