"""A plan document as one self-contained HTML page: inline CSS, no script, no font, no URL at all.

A Content-Security-Policy of `default-src 'none'` (styles inline only) backs that up: even text
that escaped the escaping could fetch nothing and run nothing. Every string is HTML-escaped; the
organization is drawn as nested lists (a Mermaid diagram needs a script).
"""

from __future__ import annotations

import html

from .document import Block, Bullets, Collapsed, Document, OrgTree, Paragraph, Table, TreeAccount, clean

_CSS = """
body { font: 14px/1.45 system-ui, sans-serif; color: #1f2328; margin: 2em auto; max-width: 70em;
  padding: 0 1em; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; border-bottom: 1px solid #d0d7de; padding-bottom: .2em; }
table { border-collapse: collapse; margin: .5em 0 1em; }
th, td { border: 1px solid #d0d7de; padding: .25em .6em; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
details { margin: .5em 0 1em; } summary { cursor: pointer; font-weight: 600; }
ul.tree, ul.tree ul { list-style: none; padding-left: 1.2em; border-left: 1px dotted #8c959f; }
ul.tree { border-left: none; padding-left: 0; }
.ou { font-weight: 600; }
.mark { font-size: .85em; border-radius: 1em; padding: 0 .5em; margin-left: .4em; }
.added { background: #dafbe1; } .removed { background: #ffebe9; text-decoration: line-through; }
.moved { background: #fff8c5; }
"""

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'; base-uri 'none'"


def _text(text: str) -> str:
    return html.escape(clean(text), quote=True)


def render_html(document: Document) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_text(document.title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{_text(document.title)}</h1>",
    ]
    for block in document.intro:
        parts += _block(block)
    for section in document.sections:
        parts.append(f"<section><h2>{_text(section.title)}</h2>")
        for block in section.blocks:
            parts += _block(block)
        parts.append("</section>")
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _block(block: Block) -> list[str]:
    if isinstance(block, Paragraph):
        return [f"<p>{_text(block.text)}</p>"]
    if isinstance(block, Bullets):
        return ["<ul>", *(f"<li>{_text(item)}</li>" for item in block.items), "</ul>"]
    if isinstance(block, Table):
        head = "".join(f"<th>{_text(c)}</th>" for c in block.columns)
        rows = ["<tr>" + "".join(f"<td>{_text(c)}</td>" for c in row) + "</tr>" for row in block.rows]
        return ["<table>", f"<thead><tr>{head}</tr></thead>", "<tbody>", *rows, "</tbody>", "</table>"]
    if isinstance(block, OrgTree):
        return _tree(block)
    if isinstance(block, Collapsed):
        inner = [line for child in block.blocks for line in _block(child)]
        return [f"<details><summary>{_text(block.summary)}</summary>", *inner, "</details>"]
    raise TypeError(f"no HTML for {type(block).__name__}")


def _tree(tree: OrgTree) -> list[str]:
    accounts: dict[str | None, list[TreeAccount]] = {}
    for account in tree.accounts:
        accounts.setdefault(account.ou or None, []).append(account)
    children: dict[str | None, list[str]] = {}
    for path in tree.units:
        children.setdefault(path.rpartition("/")[0] or None, []).append(path)
    lines = ['<ul class="tree">', '<li><span class="ou">Root</span>']

    def draw(ou: str | None) -> None:
        items = accounts.get(ou, [])
        units = children.get(ou, [])
        if not items and not units:
            return
        lines.append("<ul>")
        for account in items:
            mark = ""
            if account.mark is not None:
                note = f": {account.note}" if account.note else ""
                mark = f' <span class="mark {account.mark}">{_text(account.mark + note)}</span>'
            lines.append(f'<li class="account">{_text(account.name)}{mark}</li>')
        for path in units:
            lines.append(f'<li><span class="ou">{_text(path.rpartition("/")[2])}/</span>')
            draw(path)
            lines.append("</li>")
        lines.append("</ul>")

    draw(None)
    lines += ["</li>", "</ul>"]
    return lines
