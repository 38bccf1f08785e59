"""Any query string, on whichever database the suite runs on (it runs on both): the search
answers with results or a plain note, never an error; the page answers 200."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import example, given, settings
from hypothesis import strategies as st

from heard.search import query, results
from tests.search.conftest import Corpus, build_corpus
from tests.support.hostile import hostile_text
from tests.support.personas import Team
from tests.support.urls import url

pytestmark = pytest.mark.django_db

SYNTAX = [
    "OR", "AND", "NOT", "NEAR", "NEAR(", "-", "*", '"', "'", ":", "^", "(", ")", "{", "}",
    "|", "\\", "+", "~", "&", "!", "<->", ":*", "%", "_", "--", "/*", ";",
]  # fmt: skip
KEYS = [
    "kind:",
    "study:",
    "speaker:",
    "segment:",
    "participant:",
    "interviewer:",
    "after:",
    "before:",
    "point:",
    "-kind:",
]
WORDS = [
    "invoices",
    "pricing",
    "per seat",
    "café",
    "München",
    "שבוע",
    "כל",
    "books",
    "integr",
    "vp2",
    "2026-04-01",
]


@pytest.fixture
def corpus(team: Team) -> Corpus:
    return build_corpus(team)


token = st.one_of(
    st.sampled_from(SYNTAX),
    st.sampled_from(KEYS),
    st.sampled_from(WORDS),
    hostile_text,
    st.text(alphabet=st.characters(blacklist_characters="\x00"), max_size=12),
)
query_text = st.lists(token, max_size=12).flatmap(
    lambda parts: st.sampled_from([" ", "", '"', "*", "-"]).map(lambda glue: glue.join(parts))
)


@settings(max_examples=60)
@given(text=query_text)
@example(text='"unbalanced -"')
@example(text="NEAR(invoices pricing, 2) ^books")
@example(text='kind:"" study:" -')
@example(text="a* b* c* " * 40)
@example(text="x" * 1500)
def test_any_query_finds_something_or_says_why(corpus: Corpus, text: str) -> None:
    parsed = query.read(text.replace("\x00", ""))
    found = results.run(corpus.team.workspace, parsed)
    assert found.total >= 0
    for group in found.groups:
        for hit in group.hits:
            assert hit.url
            assert "<script" not in hit.snippet


@given(text=query_text)
@example(text='"-kind:pain OR"')
def test_any_query_gets_the_page(corpus: Corpus, text: str) -> None:
    client = Client()
    client.force_login(corpus.team.teammate)
    response = client.get(
        url("search:page", corpus.team.workspace), {"q": text.replace("\x00", "")}
    )
    assert response.status_code == 200
