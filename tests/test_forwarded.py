"""Forwarded headers count only from the trusted proxies (heard/core/proxy.py)."""

from __future__ import annotations

import pytest

from heard.core.proxy import forwarded_client, forwarded_scope, networks

LOCAL = networks(["127.0.0.1", "::1"])
TWO_HOPS = networks(["127.0.0.1", "10.0.0.0/8"])


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "trusted", "client"),
    [
        # The proxy appends whom it got the request from; what is left of it is the client's.
        ("127.0.0.1", ["6.6.6.6, 203.0.113.7"], LOCAL, "203.0.113.7"),
        ("127.0.0.1", ["203.0.113.7"], LOCAL, "203.0.113.7"),
        # Two proxies in a row: the load balancer's entry is skipped, the client's is taken.
        ("127.0.0.1", ["6.6.6.6, 203.0.113.7, 10.1.2.3"], TWO_HOPS, "203.0.113.7"),
        # Several header lines read as one list.
        ("127.0.0.1", ["6.6.6.6", "203.0.113.7"], LOCAL, "203.0.113.7"),
        # Someone who is not a trusted proxy says whatever they like: ignored.
        ("198.51.100.9", ["203.0.113.7"], LOCAL, "198.51.100.9"),
        # No header: the proxy itself.
        ("127.0.0.1", [], LOCAL, "127.0.0.1"),
        # Every hop a trusted one: the leftmost.
        ("127.0.0.1", ["10.0.0.5, 10.0.0.6"], TWO_HOPS, "10.0.0.5"),
        # Garbage where an address should be ends the walk at the hop before it.
        ("127.0.0.1", ["not-an-address"], LOCAL, "127.0.0.1"),
        ("127.0.0.1", ["2001:db8::1"], LOCAL, "2001:db8::1"),
    ],
)
def test_the_client_is_the_rightmost_address_no_trusted_proxy_holds(
    peer, forwarded_for, trusted, client
):
    assert forwarded_client(peer, forwarded_for, trusted) == client


def scope(peer: str, *headers: tuple[bytes, bytes]) -> dict:
    return {
        "type": "http",
        "scheme": "http",
        "client": (peer, 5000),
        "headers": [(b"host", b"127.0.0.1:8000"), *headers],
    }


def test_a_trusted_proxy_sets_the_address_the_scheme_and_the_host():
    seen = forwarded_scope(
        scope(
            "127.0.0.1",
            (b"x-forwarded-for", b"6.6.6.6, 203.0.113.7"),
            (b"x-forwarded-proto", b"https"),
            (b"x-forwarded-host", b"heard.example.org"),
        ),
        LOCAL,
    )
    assert seen["client"][0] == "203.0.113.7"
    assert seen["scheme"] == "https"
    assert (b"host", b"heard.example.org") in seen["headers"]
    assert (b"host", b"127.0.0.1:8000") not in seen["headers"]


def test_anyone_else_cannot_forward_anything():
    original = scope(
        "198.51.100.9",
        (b"x-forwarded-for", b"203.0.113.7"),
        (b"x-forwarded-proto", b"https"),
        (b"x-forwarded-host", b"evil.example"),
    )
    assert forwarded_scope(original, LOCAL) == original


def test_django_believes_no_forwarded_header_itself(settings):
    """Django's own proxy settings believe any client: the edge decides instead."""
    assert getattr(settings, "SECURE_PROXY_SSL_HEADER", None) is None
    assert not settings.USE_X_FORWARDED_HOST
