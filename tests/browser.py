"""Debian's headless Chromium, driven by Playwright, for what a person looks at: the HTML plan and the
Mermaid diagram (drawn by Mermaid's own code). Never a downloaded browser: .ci/run installs
`chromium` and caches Mermaid's npm package; without them these tests skip, saying why.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
MERMAID_VERSION = "11.17.2"
# Where .ci/run leaves mermaid.min.js from `npm pack mermaid@MERMAID_VERSION`.
MERMAID_JS = Path(
    os.environ.get(
        "LZ_MERMAID_JS",
        Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
        / "landing-zone"
        / f"mermaid-{MERMAID_VERSION}.min.js",
    )
)
# Nothing reaches out: no background networking, updates, sync or first-run fetches.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


# Module scope: each test module that imports it gets its own (Playwright's sync API allows one
# at a time in a process, and a session fixture imported by two modules would be two).
@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.is_file():
        pytest.skip(f"no {CHROMIUM}: install Debian's chromium (apt-get install -y chromium; .ci/run does)")
    playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def mermaid_js() -> Path:
    if not MERMAID_JS.is_file():
        pytest.skip(f"no {MERMAID_JS}: .ci/run caches it from `npm pack mermaid@{MERMAID_VERSION}`")
    return MERMAID_JS


class PageWatch:
    """What a page did: errors, console errors and every request besides its own document."""

    def __init__(self, page: Any, own_url: str | None = None) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        page.on(
            "console",
            lambda message: (
                self.errors.append(f"console {message.type}: {message.text}")
                if message.type in ("error", "warning")
                else None
            ),
        )
        page.on(
            "request", lambda request: None if request.url == own_url else self.requests.append(request.url)
        )
