"""The demo workspace: one study in the spirit of the method, with enough data for every screen.

A reporting product whose customers find report generation cumbersome: the story of the
article's interview with Nickole, told across a small round of interviews.

Each stage is built through its own services, as its pages would build it: the plan
(`demo.plan`, `demo.participants`), the calls (`demo.calls`), and what comes after them
(`demo.calls.follow_up`, `demo.synthesis`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from heard.accounts import services as accounts
from heard.accounts.models import Membership, Role, User, Workspace
from heard.coach import services as coach
from heard.demo import calls, plan, transcripts
from heard.demo import participants as directory
from heard.demo import synthesis as synthesis_demo
from heard.interviews.models import TeamRole
from heard.search import keeping as search_index
from heard.search import saved as saved_searches

DEMO_EMAIL = "dana@demo.heard.invalid"
WORKSPACE_NAME = "Ledgerly (demo)"

TEAM = (
    ("Dana Lee", DEMO_EMAIL, Role.OWNER, "Head of Product"),
    ("Sam Carter", "sam@demo.heard.invalid", Role.RESEARCHER, "Product Designer"),
    ("Lena Fischer", "lena@demo.heard.invalid", Role.OBSERVER, "VP Product"),
)


@dataclass
class Demo:
    workspace: Workspace
    user: User


def _people() -> list[User]:
    """The demo team's accounts, without passwords: they sign in through one-time links."""
    people = []
    for name, email, _, _ in TEAM:
        user = User.objects.filter(email=email).first()
        people.append(user or User.objects.create_user(email=email, name=name))
    return people


def build_demo_workspace() -> Demo:
    """Create the demo workspace, or return the one made before."""
    existing = (
        Membership.objects.filter(user__email=DEMO_EMAIL, workspace__name=WORKSPACE_NAME)
        .select_related("workspace", "user")
        .first()
    )
    if existing:
        return Demo(existing.workspace, existing.user)
    with transaction.atomic():
        people = _people()
        dana, sam, lena = people
        workspace = accounts.create_workspace(WORKSPACE_NAME, dana)
        for user, (_, _, role, _) in zip(people[1:], TEAM[1:], strict=True):
            accounts.add_member(workspace, user, role)
        study, points = plan.study(workspace, dana)
        guide = plan.guide(study, points)
        participants = directory.participants(workspace, dana)
        team = [(dana, TeamRole.INTERVIEWER, 2), (sam, TeamRole.NOTETAKER, 3)]
        held = calls.held(study, guide, participants, team)
        nickole = held[0]
        transcripts.imported(nickole, dana)
        synthesis_demo.first_summary(nickole, dana, points)
        calls.follow_up(nickole, dana)
        synthesis_demo.build(study, people)
        calls.to_come(study, guide, participants, team, lena)
        # The coach's reports of the held calls, ready when the demo opens.
        for call in held:
            coach.recompute(call.pk)
        # The demo writes some of its rows in bulk, as they happened: index them all once.
        search_index.rebuild(workspace)
        saved_searches.save(study, dana, "Exports that time out", "export* OR timeout")
    return Demo(workspace, dana)
