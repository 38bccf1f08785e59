"""The demo's participants: the customer directory, each with a profile and research notes,
saved through the participants' services as the directory's pages save them."""

from __future__ import annotations

import datetime

from django.utils import timezone

from heard.accounts.models import User, Workspace
from heard.participants import services as directory
from heard.participants.models import Participant, ResearchNote

# (name, email, company, role, segment, profile by field label, (source, note, days ago)...)
PARTICIPANTS = (
    (
        "Nickole Barros",
        "nickole@brightpath.example",
        "Brightpath Analytics",
        "Head of Marketing",
        "SMB",
        {
            "Team size": "6",
            "Reporting tools used today": "Ledgerly, Google Sheets",
            "Reports built per week": "12",
        },
        (
            ("Usage data", "Generated 46 reports last month, 80% of them on Monday mornings.", 12),
            (
                "Company blog",
                "Announced a second product line for Q3; the marketing team stays at six.",
                30,
            ),
        ),
    ),
    (
        "Tomás Ortega",
        "tomas@northwind-retail.example",
        "Northwind Retail",
        "Operations Lead",
        "Mid-market",
        {
            "Team size": "25",
            "Reporting tools used today": "Ledgerly, Excel, Power BI",
            "Reports built per week": "30",
        },
        (
            (
                "Support tickets",
                "Three tickets in May about exports timing out on large date ranges.",
                20,
            ),
        ),
    ),
    (
        "Aiko Tanaka",
        "aiko@kumo-labs.example",
        "Kumo Labs",
        "Founder & CEO",
        "SMB",
        {"Team size": "4", "Reporting tools used today": "Ledgerly", "Reports built per week": "3"},
        (
            (
                "Earlier contact",
                "Met at SaaS Summit; asked whether reports can go to investors monthly.",
                45,
            ),
        ),
    ),
    (
        "Priya Nair",
        "priya@helix-health.example",
        "Helix Health",
        "Data Analyst",
        "Enterprise",
        {
            "Team size": "120",
            "Reporting tools used today": "Ledgerly, Tableau",
            "Reports built per week": "50",
        },
        (
            ("Usage data", "Heaviest exporter in the account: 300 CSV exports last month.", 8),
            ("News", "Helix Health is consolidating BI tools after an acquisition.", 60),
        ),
    ),
    (
        "Marcus Webb",
        "marcus@stackfold.example",
        "Stackfold",
        "Customer Success Manager",
        "Mid-market",
        {
            "Team size": "18",
            "Reporting tools used today": "Ledgerly, Google Slides",
            "Reports built per week": "8",
        },
        (
            (
                "Earlier contact",
                "Renewal call: praised the dashboards, disliked building QBR decks.",
                15,
            ),
        ),
    ),
    (
        "Sofia Lindqvist",
        "sofia@fjord-travel.example",
        "Fjord Travel",
        "Marketing Manager",
        "SMB",
        {"Team size": "5", "Reporting tools used today": "Ledgerly, Google Sheets"},
        (("Usage data", "Stopped logging in for three weeks in April, back since May.", 25),),
    ),
    (
        "Daniel Okafor",
        "daniel@greenline-logistics.example",
        "Greenline Logistics",
        "Finance Director",
        "Enterprise",
        {
            "Team size": "60",
            "Reporting tools used today": "Ledgerly, SAP, Excel",
            "Reports built per week": "15",
        },
        (
            (
                "Company website",
                "Publishes a monthly sustainability report built from Ledgerly data.",
                40,
            ),
        ),
    ),
    (
        "Chloé Martin",
        "chloe@atelier-mode.example",
        "Atelier Mode",
        "E-commerce Lead",
        "SMB",
        {
            "Team size": "9",
            "Reporting tools used today": "Ledgerly, Shopify reports",
            "Reports built per week": "5",
        },
        (("Support chat", "Asked whether a report can be emailed to the team every Friday.", 5),),
    ),
)


def participants(workspace: Workspace, author: User) -> list[Participant]:
    """The participants, after the guide: their profile values go under its fields' keys."""
    keys = directory.profile_keys(workspace)
    today = timezone.localdate()
    people = []
    for name, email, company, role, segment, profile, notes in PARTICIPANTS:
        person = directory.save_participant(
            workspace,
            Participant(name=name, email=email, company=company, role=role, segment=segment),
            keys,
            {key.key: profile.get(key.label, "") for key in keys},
        )
        for source, body, days_ago in notes:
            directory.add_note(
                person,
                ResearchNote(
                    source=source, body=body, noted_on=today - datetime.timedelta(days=days_ago)
                ),
                author,
            )
        people.append(person)
    return people
