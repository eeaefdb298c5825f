"""lz import's file: live text never becomes YAML, the emitter renders every value, and the
text is read back as imported before it replaces anything."""

from __future__ import annotations

import pytest

from landing_zone.config.stack_yaml import parse
from landing_zone.live.importer import ImportProblem, Section, read_back, render

INJECTION = "deny-all\nlanding-zone:organizationTrail: {logArchiveAccount: audit}"


@pytest.mark.parametrize(
    "comment",
    [
        INJECTION,
        "name\r\nlanding-zone:baseline: {}",
        "name\u2028landing-zone:baseline: {}",
        "\x1b[2K\rPASS",
        "x" * 5000,
    ],
    ids=["newline", "crlf", "line-separator", "escape", "long"],
)
def test_live_text_in_comments_stays_one_comment_line(comment):
    text = render([f"policy {comment}"], "eu-west-1", "landing-zone", [Section("guardrails", [], [comment])])
    assert parse(text)["config"] == {"aws:region": "eu-west-1", "landing-zone:guardrails": []}
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    assert len(comments) == 2
    assert all(len(line) < 400 for line in comments)
    assert not any(ord(c) < 32 or c == "\u2028" for line in comments for c in line)


@pytest.mark.parametrize(
    "value",
    [
        "ends with newlines\n\n\n",
        "  leading spaces\nand more",
        "# not a comment\n- not a list",
        "'quotes' and \"doubles\"\n",
        "066019281614",
        "yes",
    ],
)
def test_every_value_reads_back_as_written(value):
    section = Section("guardrails", [{"name": "x", "document": value}], [])
    text = render([], "eu-west-1", "landing-zone", [section])
    values = {"aws:region": "eu-west-1", "landing-zone:guardrails": section.value}
    read_back(text, values)  # does not raise
    assert parse(text)["config"]["landing-zone:guardrails"][0]["document"] == value


def test_a_rendering_that_does_not_read_back_is_refused():
    text = render([], "eu-west-1", "landing-zone", [Section("accounts", [{"name": "a"}], [])])
    with pytest.raises(ImportProblem) as refused:
        read_back(text, {"aws:region": "eu-west-1", "landing-zone:accounts": [{"name": "b"}]})
    assert str(refused.value) == (
        "the written stack would not read back as imported (landing-zone:accounts differ): nothing written"
    )
    with pytest.raises(ImportProblem, match="the written stack would not read back: "):
        read_back("config: [unclosed", {})
