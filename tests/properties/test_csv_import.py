"""The participant CSV import with random files: bytes, encodings, delimiters, huge cells.
The upload is either taken or refused with a message; nothing is imported on the way, and
the mapping page shows whatever was taken."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import example, given
from hypothesis import strategies as st

from heard.participants.models import Participant, ParticipantImport
from tests.properties.test_form_posts import rolled_back
from tests.support.hostile import hostile_text
from tests.support.personas import Team
from tests.support.urls import url

pytestmark = pytest.mark.django_db

cells = st.one_of(hostile_text, st.sampled_from(["name", "email", "company", "Ada", "ada@x.org"]))
rows = st.lists(st.lists(cells, min_size=1, max_size=5), min_size=1, max_size=6)
csv_text = st.builds(
    lambda table, sep, newline: newline.join(sep.join(row) for row in table),
    rows,
    st.sampled_from([",", ";", "\t", "|"]),
    st.sampled_from(["\n", "\r\n", "\r"]),
)
files = st.one_of(
    st.binary(max_size=300),
    st.builds(
        lambda text, encoding: text.encode(encoding, errors="replace"),
        csv_text,
        st.sampled_from(
            ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "latin-1", "shift_jis"]
        ),
    ),
)


@given(
    content=files,
    filename=st.sampled_from(["people.csv", "../../etc/passwd", "a\x00.csv", "ü.txt", ""]),
)
@example(content=b"name,email\n" + b"x" * 200_000 + b",a@b.org\n", filename="people.csv")
@example(content=b"\xff\xfe\x00\x00", filename="people.csv")
@example(content=b"name;email\n=1+1;ada@x.org\n", filename="people.csv")
def test_an_upload_is_taken_or_refused_with_a_message(
    team: Team, owner_client: Client, content: bytes, filename: str
):
    with rolled_back():
        upload = SimpleUploadedFile(filename or "x", content, content_type="text/csv")
        response = owner_client.post(url("participants:import", team), {"file": upload})
        assert response.status_code in {200, 302}
        assert not Participant.objects.exists()  # nothing imported by an upload
        if response.status_code == 200:
            assert 'aria-invalid="true"' in response.content.decode()
            assert not ParticipantImport.objects.exists()
            return
        taken = ParticipantImport.objects.get()
        page = owner_client.get(url("participants:import_map", team, pk=taken.pk))
        assert page.status_code == 200
