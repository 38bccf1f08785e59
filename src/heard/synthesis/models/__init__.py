"""The synthesis app's models: summaries (summaries.py), findings and their evidence
(findings.py), review meetings and the decision log (reviews.py), the matrix exported in the
background (exports.py)."""

from heard.synthesis.models.exports import (
    EXPORT_KEEP,
    UNFINISHED_EXPORTS,
    ExportFormat,
    ExportStatus,
    MatrixExport,
)
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
    "EXPORT_KEEP",
    "FINDING_MAX_LENGTH",
    "UNFINISHED_EXPORTS",
    "Bearing",
    "Challenge",
    "Decision",
    "Evidence",
    "EvidenceBearing",
    "ExportFormat",
    "ExportStatus",
    "Finding",
    "MatrixExport",
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
