"""The participant directory: list, search, profile, detail and delete."""

from __future__ import annotations

import pytest

from heard.participants import services
from heard.participants.models import Participant
from tests.support import factories
from tests.support.participants import profile_field
from tests.support.text import read
from tests.support.urls import url

pytestmark = pytest.mark.django_db


def form_data(**overrides: str) -> dict[str, str]:
    return {
        "name": "Ada Lovelace",
        "email": "ada@analytical.example",
        "company": "Analytical Engines",
        "role": "CTO",
        "segment": "Enterprise",
    } | overrides


def names(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [person.name for person in response.context["page"].object_list]


def test_owner_adds_a_participant_and_lands_on_their_page(team, owner_client):
    response = owner_client.post(url("participants:create", team), form_data())
    person = Participant.objects.get(name="Ada Lovelace")
    assert response.status_code == 302
    assert response.url == url("participants:detail", team, pk=person.pk)
    assert person.workspace == team.workspace
    assert (person.company, person.role, person.segment) == (
        "Analytical Engines",
        "CTO",
        "Enterprise",
    )


def test_a_participant_needs_a_name(team, teammate_client):
    response = teammate_client.post(url("participants:create", team), form_data(name=""))
    assert response.status_code == 200
    assert b"This field is required." in response.content
    assert not Participant.objects.exists()


def test_the_same_email_twice_in_a_workspace_is_refused_in_any_case(team, owner_client):
    factories.participant(team.workspace, email="ada@analytical.example")
    response = owner_client.post(
        url("participants:create", team), form_data(email="ADA@Analytical.example")
    )
    assert response.status_code == 200
    assert b"Another participant in this workspace has this email" in response.content
    assert Participant.objects.count() == 1


def test_the_same_email_in_another_workspace_is_fine(team, owner_client):
    factories.participant(team.other_workspace, email="ada@analytical.example")
    response = owner_client.post(url("participants:create", team), form_data())
    assert response.status_code == 302


def test_the_form_has_one_box_per_distinct_profile_key(team, owner_client):
    profile_field(team.workspace, "team_size", "Team size", help_text="<b>People</b> on the team")
    profile_field(team.workspace, "team_size", "Size of the team")  # same key, another guide
    profile_field(team.workspace, "tools", "Tools used today")
    profile_field(team.other_workspace, "secret_key", "Other workspace's field")
    response = owner_client.get(url("participants:create", team))
    profile_form = response.context["profile_form"]
    assert list(profile_form.fields) == ["team_size", "tools"]
    assert profile_form.fields["team_size"].label == "Team size"
    assert b"Other workspace" not in response.content
    assert b"&lt;b&gt;People&lt;/b&gt;" in response.content  # a guide's help is text


def test_profile_values_are_saved_and_unknown_keys_kept(team, owner_client):
    profile_field(team.workspace, "team_size", "Team size")
    person = factories.participant(team.workspace, profile={"team_size": "3", "legacy": "kept"})
    response = owner_client.post(
        url("participants:edit", team, pk=person.pk),
        form_data(name=person.name, email=person.email) | {"profile-team_size": "40"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.profile == {"team_size": "40", "legacy": "kept"}
    detail = owner_client.get(url("participants:detail", team, pk=person.pk))
    assert b"Other fields" in detail.content
    assert b'<dt dir="auto">Legacy</dt><dd class="prewrap" dir="auto">kept</dd>' in detail.content


def test_emptying_a_profile_box_removes_the_value(team, owner_client):
    profile_field(team.workspace, "team_size", "Team size")
    person = factories.participant(team.workspace, profile={"team_size": "3"})
    owner_client.post(
        url("participants:edit", team, pk=person.pk),
        form_data(name=person.name, email=person.email),
    )
    person.refresh_from_db()
    assert person.profile == {}


def test_the_detail_page_shows_profile_notes_and_interviews(team, teammate_client):
    profile_field(team.workspace, "team_size", "Team size")
    person = factories.participant(team.workspace, name="Grace Hopper", profile={"team_size": "12"})
    person.notes.create(source="CRM", body="Renewed in March", author=team.owner)
    study = factories.study(team.workspace, title="Pricing study")
    interview = factories.interview(study, person)
    response = teammate_client.get(url("participants:detail", team, pk=person.pk))
    content = response.content.decode()
    assert "Grace Hopper" in content
    assert "Team size" in content
    assert "12" in content
    assert "Renewed in March" in content
    assert "Pricing study" in content
    assert f"/w/{team.workspace.slug}/interviews/{interview.pk}/" in content


def test_text_is_shown_as_text_not_html(team, owner_client):
    person = factories.participant(
        team.workspace, name="<script>alert(1)</script>", company="<b>Bold</b>",
        profile={"x": "<img src=x onerror=alert(1)>"},
    )  # fmt: skip
    for page in (url("participants:list", team), url("participants:detail", team, pk=person.pk)):
        content = owner_client.get(page).content
        assert b"<script>alert(1)</script>" not in content
        assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in content
        assert b"<b>Bold</b>" not in content
    assert (
        b"<img src=x"
        not in owner_client.get(url("participants:detail", team, pk=person.pk)).content
    )


def test_the_list_searches_every_field_in_any_case(team, owner_client):
    factories.participant(team.workspace, name="Ada Lovelace", company="Analytical")
    factories.participant(team.workspace, name="Grace Hopper", company="Navy", role="Admiral")
    factories.participant(
        team.workspace, name="Alan Turing", segment="Academia", email="alan@bletchley.example"
    )
    for query, expected in [
        ("ada", ["Ada Lovelace"]),
        ("NAVY", ["Grace Hopper"]),
        ("admiral", ["Grace Hopper"]),
        ("academia", ["Alan Turing"]),
        ("BLETCHLEY", ["Alan Turing"]),
        ("a", ["Ada Lovelace", "Alan Turing", "Grace Hopper"]),
        ("grace navy", ["Grace Hopper"]),
        ("grace analytical", []),
        ("100%_", []),
    ]:
        assert names(owner_client.get(url("participants:list", team), {"q": query})) == expected, (
            query
        )


def test_the_list_filters_by_segment(team, owner_client):
    factories.participant(team.workspace, name="A", segment="Enterprise")
    factories.participant(team.workspace, name="B", segment="SMB")
    response = owner_client.get(url("participants:list", team), {"segment": "SMB"})
    assert names(response) == ["B"]
    assert response.context["segments"] == ["Enterprise", "SMB"]


def test_the_list_shows_only_this_workspace(team, owner_client):
    factories.participant(team.workspace, name="Ours")
    factories.participant(team.other_workspace, name="Theirs")
    assert names(owner_client.get(url("participants:list", team))) == ["Ours"]


def test_the_list_pages_by_fifty_and_keeps_the_search(team, owner_client):
    for i in range(120):
        factories.participant(team.workspace, name=f"Person {i:03}", segment="Beta")
    response = owner_client.get(url("participants:list", team), {"segment": "Beta", "page": 3})
    assert len(names(response)) == 20
    assert names(response)[0] == "Person 100"
    assert b"Page 3 of 3" in response.content
    assert b"segment=Beta&amp;page=2" in response.content


def test_a_search_pages_on_without_counting_what_it_finds(team, owner_client):
    for i in range(120):
        factories.participant(team.workspace, name=f"Person {i:03}")
    search = url("participants:list", team)
    third = owner_client.get(search, {"q": "person", "page": 3})
    assert names(third)[0] == "Person 100"
    assert len(names(third)) == 20
    assert b"Page 3</span>" in third.content
    assert b"q=person&amp;page=2" in third.content
    assert b'rel="next"' not in third.content
    second = owner_client.get(search, {"q": "person", "page": 2})
    assert b"q=person&amp;page=3" in second.content
    for past_the_end in ("9", "x", "0"):
        assert names(owner_client.get(search, {"q": "person", "page": past_the_end}))[0] == (
            "Person 000"
        )


def test_the_segments_in_use_are_each_offered_once_in_order(team):
    for name, segment in [("A", "SMB"), ("B", ""), ("C", "Enterprise"), ("D", "SMB")]:
        factories.participant(team.workspace, name=name, segment=segment)
    factories.participant(team.other_workspace, segment="Theirs")
    assert services.segments(team.workspace) == ["Enterprise", "SMB"]
    assert services.segments(team.other_workspace) == ["Theirs"]


def test_the_list_counts_interviews_and_notes(team, owner_client):
    person = factories.participant(team.workspace, name="Ada")
    factories.participant(team.workspace, name="Bob")
    study = factories.study(team.workspace)
    factories.interview(study, person)
    factories.interview(study, person)
    person.notes.create(source="CRM", body="x")
    rows = owner_client.get(url("participants:list", team)).context["page"].object_list
    assert [(p.name, p.interview_count, p.note_count) for p in rows] == [
        ("Ada", 2, 1),
        ("Bob", 0, 0),
    ]


def test_empty_directory_explains_what_to_do(team, owner_client, observer_client):
    content = owner_client.get(url("participants:list", team)).content
    assert b"No participant yet" in content
    assert b"Add the first participant" in content
    assert (
        b"Add the first participant"
        not in observer_client.get(url("participants:list", team)).content
    )


def test_a_search_that_finds_nobody_says_so(team, owner_client):
    factories.participant(team.workspace, name="Ada")
    response = owner_client.get(url("participants:list", team), {"q": "zebra"})
    assert "No participant matches “zebra”" in read(response.content)


def test_list_query_count_does_not_grow_with_rows(
    team, owner_client, django_assert_max_num_queries
):
    study = factories.study(team.workspace)
    for i in range(3):
        person = factories.participant(team.workspace, name=f"P{i}", segment=f"S{i}")
        factories.interview(study, person)
        person.notes.create(source="CRM", body="x")
    with django_assert_max_num_queries(12) as few:
        response = owner_client.get(url("participants:list", team))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 3
    for i in range(60):
        person = factories.participant(team.workspace, name=f"Q{i}", segment=f"T{i}")
        factories.interview(study, person)
        person.notes.create(source="CRM", body="x")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = owner_client.get(url("participants:list", team), {"q": "q"})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 50


def test_delete_removes_the_participant_and_their_notes(team, owner_client):
    person = factories.participant(team.workspace)
    person.notes.create(source="CRM", body="x")
    assert owner_client.get(url("participants:delete", team, pk=person.pk)).status_code == 200
    response = owner_client.post(url("participants:delete", team, pk=person.pk))
    assert response.url == url("participants:list", team)
    assert not Participant.objects.filter(pk=person.pk).exists()


def test_a_participant_with_interviews_is_not_deleted(team, owner_client):
    person = factories.participant(team.workspace)
    factories.interview(factories.study(team.workspace), person)
    page = owner_client.get(url("participants:delete", team, pk=person.pk))
    assert b"cannot be deleted" in page.content
    response = owner_client.post(url("participants:delete", team, pk=person.pk), follow=True)
    assert Participant.objects.filter(pk=person.pk).exists()
    assert b"has 1 interview, so they stay in the directory" in response.content


def test_a_duplicate_email_that_slips_past_the_form_is_refused_by_the_database(team):
    factories.participant(team.workspace, email="ada@x.example")
    twin = Participant(name="Ada again", email="ADA@x.example")
    with pytest.raises(services.EmailInUse):
        services.save_participant(team.workspace, twin, [], {})
    assert Participant.objects.count() == 1


def test_a_search_of_the_directory_can_use_the_trigram_indexes(team):
    """On PostgreSQL a word is looked up in the indexes made for Django's `icontains`: the
    migration's expressions must be the very ones the lookup writes, or the planner could
    never use them (on a large directory it does: bench/plan_pages.py)."""
    from django.db import connection

    from heard.participants.models import Participant
    from heard.participants.services import SEARCHED_FIELDS

    if connection.vendor != "postgresql":
        pytest.skip("SQLite reads its rows in-process: no trigram index")
    for field in SEARCHED_FIELDS:
        people = Participant.objects.filter(**{f"{field}__icontains": "zebra"})
        sql, params = people.query.sql_with_params()
        with connection.cursor() as cursor:
            # A test's table is small: the planner is left no other way to show it has one.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert f"participant_{field}_trgm_idx" in plan, plan
