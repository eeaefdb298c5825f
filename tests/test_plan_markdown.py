"""`lz plan --format markdown`: CommonMark (GFM tables) with the structure a reviewer expects, one
Mermaid flowchart that Mermaid itself parses and draws, hostile names kept as text everywhere, and
short enough for a pull request comment at 100 accounts."""

from __future__ import annotations

import dataclasses

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from benchmarks.large_config import large_stack_values
from landing_zone.cli import main
from landing_zone.plan.aws_rules import Refusal
from landing_zone.plan.document import (
    LONG,
    MAX_MESSAGES,
    Collapsed,
    Document,
    OrgTree,
    Paragraph,
    Section,
    Table,
    TreeAccount,
    clean,
    messages,
    report_document,
)
from landing_zone.plan.markdown import COMMENT_LIMIT, MERMAID_MAX_EDGES, mermaid_flowchart, render_markdown
from landing_zone.plan.policy import PolicyCheck, PolicyViolation
from landing_zone.plan.report import build_report
from landing_zone.plan.runner import run_program
from tests.browser import PageWatch, chromium, mermaid_js  # noqa: F401 (fixtures)
from tests.helpers import PROJECT_DIR

# What an attacker would put in an account name, OU, group or policy message of a plan file.
HOSTILE = [
    "a|b",
    "<img src=x onerror=alert(1)>",
    "</details><script>alert(1)</script>",
    "[click](https://evil.example)",
    "![x](https://evil.example/x.png)",
    "https://evil.example/path",
    "www.evil.com",
    "mail evil@evil.com",
    "`code` **bold** _it_",
    "<!-- hidden -->",
    "&lt;not an entity&gt; &amp;",
    "\\|\\\\|",
    "line one\nline two\r\n| --- |",
    "# heading",
    "1. list",
    "- item",
    "text\u202eevil\u200b",
    "\x1b[31mred\x1b[0m",
    '"quoted" #quot; #60;',
    "%%{init: {'securityLevel': 'loose'}}%%",
    "click a1 call alert()",
    "end",
    "",
]


def parser() -> MarkdownIt:
    # GitHub's Markdown: CommonMark, tables, and autolinks of bare URLs, www. and emails (linkify).
    return MarkdownIt("commonmark", {"linkify": True}).enable(["table", "linkify"])


def text_of(token: Token) -> str:
    return "".join(child.content for child in token.children or [])


def unsafe_tokens(tokens: list[Token]) -> list[str]:
    """HTML, links and images the Markdown would make, besides the <details> it means to."""
    found = []
    for token in tokens:
        children = token.children or []
        for t in [token, *children]:
            if t.type in ("html_inline", "link_open", "image", "autolink"):
                found.append(f"{t.type}: {t.content or t.attrs}")
            if t.type == "html_block" and not t.content.startswith(("<details><summary>", "</details>")):
                found.append(f"html_block: {t.content}")
    return found


@pytest.mark.parametrize("name", HOSTILE, ids=range(len(HOSTILE)))
def test_a_hostile_name_stays_text_in_its_own_table_cell(name):
    document_markdown = render_markdown(
        _document(Table(("Account", "Next"), ((name, "x"),)), Paragraph(name))
    )
    tokens = parser().parse(document_markdown)
    assert unsafe_tokens(tokens) == []
    cells = [text_of(t) for t in tokens if t.type == "inline"]
    # the title, the section, the table's header (2) and row (2), the paragraph.
    paragraph = [clean(name)] if clean(name) else []  # an empty paragraph is no paragraph
    assert cells == ["Plan", "Accounts", "Account", "Next", clean(name), "x", *paragraph]


def _document(*blocks):
    return Document(title="Plan", intro=(), sections=(Section("Accounts", blocks),))


@pytest.fixture(scope="module")
def prod_markdown(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("md") / "plan.md"
    code = main(
        [
            "plan",
            "--stack",
            "prod",
            "--format",
            "markdown",
            "--output",
            str(out),
            "--project-dir",
            str(PROJECT_DIR),
        ]
    )
    assert code == 0
    return out.read_text()


PROD_TABLES = [
    ["Account", "OU", "Root email", "Notes"],
    ["Accounts", "Auditors", "Developers", "Finance", "Platform"],
    ["Permission set", "Session", "Policies"],
    ["Target", "Policy type", "Policy"],
    ["Budget", "Limit", "Covers", "Alerts"],
]


def headers(tokens: list[Token]) -> list[list[str]]:
    tables, current, in_head = [], [], False
    for token in tokens:
        if token.type == "thead_open":
            in_head, current = True, []
        elif token.type == "thead_close":
            in_head = False
            tables.append(current)
        elif in_head and token.type == "inline":
            current.append(text_of(token))
    return tables


def test_the_prod_plan_parses_as_commonmark_with_its_sections_tables_and_one_diagram(prod_markdown):
    tokens = parser().parse(prod_markdown)
    assert unsafe_tokens(tokens) == []
    assert [text_of(tokens[i + 1]) for i, t in enumerate(tokens) if t.type == "heading_open"] == [
        "Plan of stack prod",
        "Organization",
        "Access (IAM Identity Center)",
        "Guardrails",
        "Budgets",
        "Policies",
    ]
    assert headers(tokens) == PROD_TABLES
    fences = [t for t in tokens if t.type == "fence"]
    assert [f.info for f in fences] == ["mermaid"]
    paragraphs = [text_of(tokens[i + 1]) for i, t in enumerate(tokens) if t.type == "paragraph_open"]
    assert (
        "Verdict: pulumi up would go ahead (nothing AWS would refuse, no mandatory violation)." in paragraphs
    )
    assert (
        "landing-zone-policies ("
        + str(PROJECT_DIR / "policy" / "config.prod.json")
        + "): 0 violations, 0 mandatory."
        in paragraphs
    )


def mermaid_labels(page, text: str) -> list[str]:
    """The node labels Mermaid draws for `text` (its parser raises on anything malformed)."""
    return page.evaluate(
        """async (text) => {
            mermaid.initialize({startOnLoad: false, securityLevel: 'strict'});
            await mermaid.parse(text);
            const {svg} = await mermaid.render('plan', text);
            document.body.innerHTML = svg;
            return [...document.querySelectorAll('.nodeLabel')].map(e => e.textContent);
        }""",
        text,
    )


@pytest.fixture
def mermaid_page(chromium, mermaid_js):  # noqa: F811
    page = chromium.new_page()
    watch = PageWatch(page)
    page.set_content("<!DOCTYPE html><html><body></body></html>")
    page.add_script_tag(path=str(mermaid_js))
    yield page, watch
    page.close()


def test_mermaid_draws_the_prod_organization(prod_markdown, mermaid_page):
    page, watch = mermaid_page
    (fence,) = [t for t in parser().parse(prod_markdown) if t.type == "fence"]
    labels = mermaid_labels(page, fence.content)
    assert labels == [
        "Root", "Sandbox/", "Security/", "Suspended/", "Workloads/", "NonProduction/", "Production/",
        "sandbox-alice", "sandbox-bob", "audit", "log-archive", "dev", "staging", "production",
    ]  # fmt: skip
    assert (watch.errors, watch.requests) == ([], [])


def test_mermaid_draws_hostile_names_as_their_own_text(mermaid_page):
    page, watch = mermaid_page
    names = [name for name in HOSTILE if "/" not in name]  # "/" separates OU paths
    tree = OrgTree(
        units=("Work<b>s",),
        accounts=tuple(
            TreeAccount(name, "Work<b>s" if n % 2 else None, "added" if n == 1 else None)
            for n, name in enumerate(names)
        ),
    )
    labels = mermaid_labels(page, "\n".join(mermaid_flowchart(tree)))
    expected = [clean(name) or "\ufffd" for name in names]
    expected[1] += " (added)"
    assert labels == ["Root", "Work<b>s/", *expected]
    assert page.evaluate("document.querySelectorAll('svg img, svg script, svg a').length") == 0
    assert (watch.errors, watch.requests) == ([], [])


def test_the_mermaid_labels_use_only_plain_characters_and_entity_codes():
    lines = mermaid_flowchart(OrgTree(units=(), accounts=tuple(TreeAccount(n, None) for n in HOSTILE)))
    labels = [line.split("(", 1)[1][:-1] for line in lines if line.startswith("  a")]
    for label in labels:
        body = label[1:-1]
        assert label[0] == label[-1] == '"' and '"' not in body
        assert set(body) <= set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _.,/@+-#;"), (
            body
        )


def test_a_plan_of_100_accounts_fits_a_pull_request_comment():
    values = large_stack_values(100)
    accounts = [a["name"] for a in values["landing-zone:accounts"]]
    values["landing-zone:budgets"] = {
        "monthlyLimit": 50000,
        "accounts": [{"account": name, "monthlyLimit": 1000} for name in accounts],
    }
    report = build_report("landing-zone", "bench", run_program(PROJECT_DIR, "landing-zone", "bench", values))
    markdown = render_markdown(report_document(report))
    assert len(report.accounts) == 100 and len(report.budgets) == 101
    # Room left for the policy results (at most MAX_MESSAGES shown) and the rest of the comment.
    assert len(markdown) < 40_000 < COMMENT_LIMIT, len(markdown)
    tokens = parser().parse(markdown)
    summaries = [
        t.content.split("</summary>")[0]
        for t in tokens
        if t.type == "html_block" and "<summary>" in t.content
    ]
    assert summaries == [
        "<details><summary>Accounts (100)",
        "<details><summary>Access matrix (101 accounts)",  # the management account too
        "<details><summary>Budgets (101)",
    ]
    assert LONG < 100


def edges_tree(accounts: int) -> OrgTree:
    return OrgTree(
        units=("Workloads",), accounts=tuple(TreeAccount(f"a{n}", "Workloads") for n in range(accounts))
    )


def test_mermaid_refuses_one_edge_more_than_the_markdown_draws(mermaid_page):
    page, _ = mermaid_page
    parse = "async (text) => { mermaid.initialize({startOnLoad: false}); return await mermaid.parse(text) !== false; }"
    assert page.evaluate(parse, "\n".join(mermaid_flowchart(edges_tree(MERMAID_MAX_EDGES - 1))))
    with pytest.raises(Exception, match=f"Edge limit exceeded. {MERMAID_MAX_EDGES} edges found"):
        page.evaluate(parse, "\n".join(mermaid_flowchart(edges_tree(MERMAID_MAX_EDGES))))


@pytest.mark.parametrize(("accounts", "fences"), [(MERMAID_MAX_EDGES - 1, 1), (MERMAID_MAX_EDGES, 0)])
def test_a_diagram_mermaid_would_refuse_is_left_out(accounts, fences):
    markdown = render_markdown(_document(edges_tree(accounts)))
    assert [t.info for t in parser().parse(markdown) if t.type == "fence"] == ["mermaid"] * fences
    if not fences:
        assert (
            "No diagram: 501 OUs and accounts are more than Mermaid draws (500 edges, 50000 characters)"
            in markdown.replace("\\", "")
        )


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (LONG, "table"),
        (LONG + 1, "collapsed"),
        (MAX_MESSAGES, "collapsed"),
        (MAX_MESSAGES + 1, "cut"),
    ],
)
def test_long_tables_are_collapsed_and_long_message_tables_cut(rows, expected):
    table = Table(("Policy", "Message"), tuple((f"p{n}", "m") for n in range(rows)))
    block = messages(f"Violations ({rows})", table)
    if expected == "table":
        assert block == table
    elif expected == "collapsed":
        assert block == Collapsed(f"Violations ({rows})", (table,))
    else:
        assert block == Collapsed(
            f"Violations ({rows})",
            (
                Table(table.columns, table.rows[:MAX_MESSAGES]),
                Paragraph("And 1 more: lz plan lists them all."),
            ),
        )


REFUSAL = Refusal(rule="r", type="t", name="n", urn="u", message="m", words="w", source="s")
MANDATORY = PolicyViolation(policy="p", level="mandatory", message="m", urn="", resource=None)


@pytest.mark.parametrize(
    ("changes", "verdict"),
    [
        ({}, "Verdict: pulumi up would go ahead (nothing AWS would refuse, no mandatory violation)."),
        ({"refusals": (REFUSAL,)}, "Verdict: pulumi up would stop: AWS would refuse 1 registration."),
        (
            {"refusals": (REFUSAL, REFUSAL), "policy": PolicyCheck("pack", None, (MANDATORY,) * 3)},
            "Verdict: pulumi up would stop: AWS would refuse 2 registrations; 3 mandatory policy violations.",
        ),
    ],
)
def test_the_verdict_says_why_pulumi_up_would_stop(planned, changes, verdict):
    report = dataclasses.replace(build_report("landing-zone", "prod", planned["prod"]), **changes)
    paragraphs = [p.text for p in report_document(report).intro]
    assert paragraphs[1] == verdict
