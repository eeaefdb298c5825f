"""`lz plan --format html`: one self-contained page that headless Chromium opens without an error or
a single request, showing the organization and the changes; hostile names stay text."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from landing_zone.cli import main
from landing_zone.plan.document import clean
from tests.browser import PageWatch, chromium  # noqa: F401 (fixture)
from tests.helpers import PROJECT_DIR
from tests.test_plan_markdown import HOSTILE

PROD_ACCOUNTS = ["sandbox-alice", "sandbox-bob", "audit", "log-archive", "dev", "staging", "production"]
# Anything that could make a page fetch or run something.
FETCHES = re.compile(r"(?i)<script|<link|<img|<iframe|<object|<embed|\bsrc=|\bhref=|url\(|@import|srcset")


def lz_plan(tmp_path: Path, name: str, *argv: str) -> Path:
    out = tmp_path / name
    code = main(["plan", "--stack", "prod", *argv, "--output", str(out), "--project-dir", str(PROJECT_DIR)])
    assert code == 0
    return out


def open_page(browser, path: Path):
    page = browser.new_page()
    watch = PageWatch(page, own_url=path.as_uri())
    page.goto(path.as_uri())
    return page, watch


@pytest.fixture(scope="module")
def prod_html(tmp_path_factory) -> Path:
    return lz_plan(tmp_path_factory.mktemp("html"), "plan.html", "--format", "html")


def test_the_page_fetches_nothing_and_runs_nothing(prod_html):
    page = prod_html.read_text()
    assert FETCHES.search(page) is None
    assert (
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline';"
        in page
    )


def test_chromium_shows_the_prod_plan_without_errors_or_requests(chromium, prod_html):  # noqa: F811
    page, watch = open_page(chromium, prod_html)
    assert page.title() == "Plan of stack prod"
    assert page.locator("h2").all_inner_texts() == [
        "Organization", "Access (IAM Identity Center)", "Guardrails", "Budgets", "Policies",
    ]  # fmt: skip
    assert page.locator("ul.tree li.account").all_inner_texts() == PROD_ACCOUNTS
    assert page.locator("ul.tree .ou").all_inner_texts() == [
        "Root", "Sandbox/", "Security/", "Suspended/", "Workloads/", "NonProduction/", "Production/",
    ]  # fmt: skip
    first_column = page.locator("table").first.locator("tbody tr td:first-child").all_inner_texts()
    assert first_column == PROD_ACCOUNTS
    assert page.locator("script, img, a, iframe, link").count() == 0
    page.close()
    assert (watch.errors, watch.requests) == ([], [])


def test_chromium_shows_changes_with_hostile_names_as_text(chromium, tmp_path):  # noqa: F811
    # The base plan is the other branch's file: its account names are whatever it says.
    base = json.loads(lz_plan(tmp_path, "base.json", "--format", "json", "--no-policy").read_text())
    hostile = copy.deepcopy(base)
    names = [name for name in HOSTILE if name and "/" not in name]
    template = hostile["accounts"][0]
    hostile["accounts"] += [{**template, "name": name, "ou": None} for name in names]
    (tmp_path / "hostile.json").write_text(json.dumps(hostile))
    path = lz_plan(
        tmp_path,
        "changes.html",
        "--format",
        "html",
        "--no-policy",
        "--compare",
        str(tmp_path / "hostile.json"),
    )

    page, watch = open_page(chromium, path)
    removed = [clean(name) for name in sorted(names)]  # removed accounts come by OU, then name
    assert page.locator("ul.tree li.account").all_inner_texts() == [f"{name} removed" for name in removed]
    # The long table is collapsed: a click opens it, as a reader would.
    assert page.locator("summary").all_inner_texts() == [f"Account changes ({len(names)})"]
    page.locator("summary").click()
    rows = page.locator("table").first.locator("tbody tr").all()
    assert [row.locator("td").all_inner_texts()[:3] for row in rows] == [
        ["removed", name, "Root"] for name in removed
    ]
    assert page.locator("script, img, a, iframe, link, object, embed").count() == 0
    page.close()
    assert (watch.errors, watch.requests) == ([], [])
