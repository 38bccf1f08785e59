"""Text an attacker, a spreadsheet or a careless paste would send, for property tests.

`hostile_text` mixes fixed nasties (markup and script, spreadsheet formulas, template syntax,
path tricks, NUL and other control characters, right-to-left overrides, huge strings, numbers
that are not quite numbers) with any text hypothesis makes up.
"""

from __future__ import annotations

from hypothesis import strategies as st

NASTIES = [
    "",
    " ",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "=1+1",
    '=HYPERLINK("http://evil.example")',
    "@SUM(A1:A2)",
    "-2+3",
    "+cmd|' /C calc'!A0",
    "ACME;=1+1",
    "{{ 7|add:7 }}",
    "{% debug %}",
    "{name}",
    "{",
    "}",
    "{first_name",
    "%s%n%x",
    "../../../etc/passwd",
    "..\\..\\boot.ini",
    "/dev/null",
    "\x00",
    "a\x00b",
    "\x1b[31mred",
    "\r\n\r\n",
    "\u202eevil\u202c",
    "\ud7ff\ufeff\ufffe",
    "🙂" * 50,
    "' OR 1=1 --",
    "x" * 70_000,
    "9" * 40,
    "-1",
    "0",
    "1e309",
    "NaN",
    "true",
    "null",
    "2027-02-30",
    "25:61",
    "http://",
    "a@b",
    "Europe/Nowhere",
]

hostile_text = st.one_of(
    st.sampled_from(NASTIES),
    st.text(max_size=60),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
