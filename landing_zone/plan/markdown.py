"""A plan document as GitHub Markdown: tables, collapsed <details> for long lists, the organization as
one Mermaid flowchart (GitHub draws ```mermaid blocks).

All text is escaped for where it lands: Markdown text (every ASCII punctuation character
backslash-escaped, as CommonMark allows, so no emphasis, link, autolink, table cell break or
list starts; `<>&"'` as character references, so no HTML), HTML (<summary>), and Mermaid labels
(entity codes). Control and format characters (newlines, escape sequences, bidi overrides) are
replaced first.
"""

from __future__ import annotations

import html
import string

from .document import Block, Bullets, Collapsed, Document, OrgTree, Paragraph, Table, clean

# GitHub refuses a comment body past 65,536 characters ("Body is too long (maximum is 65536
# characters)", REST API "Create an issue comment"; danger/danger#424).
COMMENT_LIMIT = 65_536

# What Mermaid 11 draws by default: a flowchart of at most 500 edges (FlowDB.addEdge throws "Edge
# limit exceeded" past config.maxEdges, default 500, in mermaid 11.17.2's dist) and 50,000
# characters (maxTextSize, mermaid's config schema). Past either, the diagram is left out.
MERMAID_MAX_EDGES = 500
MERMAID_MAX_TEXT = 50_000

_TO_REFERENCE = set("<>&\"'")
_TO_BACKSLASH = set(string.punctuation) - _TO_REFERENCE
# Mermaid label text kept as is; everything else becomes an entity code `#<decimal>;`, which
# Mermaid decodes in labels (mermaid-js/mermaid#193: "#quot;", "#9829;").
_MERMAID_PLAIN = set(string.ascii_letters + string.digits + " _.,/@+-")


def md_text(text: str) -> str:
    """`text` as literal Markdown inline text (safe in a paragraph, list item or table cell)."""
    out = []
    for ch in clean(text):
        if ch in _TO_REFERENCE:
            out.append(f"&#{ord(ch)};")
        elif ch in _TO_BACKSLASH:
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def mermaid_label(text: str) -> str:
    """`text` as a quoted Mermaid node label, quotes included."""
    body = "".join(ch if ch in _MERMAID_PLAIN else f"#{ord(ch)};" for ch in clean(text))
    return f'"{body or "#65533;"}"'


def render_markdown(document: Document) -> str:
    lines = [f"## {md_text(document.title)}", ""]
    for block in document.intro:
        lines += _block(block)
    for section in document.sections:
        lines += [f"### {md_text(section.title)}", ""]
        for block in section.blocks:
            lines += _block(block)
    return "\n".join(lines).rstrip("\n") + "\n"


def _block(block: Block) -> list[str]:
    if isinstance(block, Paragraph):
        return [md_text(block.text), ""]
    if isinstance(block, Bullets):
        return [*(f"- {md_text(item)}" for item in block.items), ""]
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, OrgTree):
        return _diagram(block)
    if isinstance(block, Collapsed):
        # An HTML block: its text is HTML, not Markdown; the blank lines let Markdown resume inside.
        inner = [line for child in block.blocks for line in _block(child)]
        return [
            f"<details><summary>{html.escape(clean(block.summary))}</summary>",
            "",
            *inner,
            "</details>",
            "",
        ]
    raise TypeError(f"no Markdown for {type(block).__name__}")


def _diagram(tree: OrgTree) -> list[str]:
    lines = mermaid_flowchart(tree)
    edges = len(tree.units) + len(tree.accounts)
    if edges > MERMAID_MAX_EDGES or sum(len(line) + 1 for line in lines) > MERMAID_MAX_TEXT:
        return [
            md_text(
                f"No diagram: {edges} OUs and accounts are more than Mermaid draws "
                f"({MERMAID_MAX_EDGES} edges, {MERMAID_MAX_TEXT} characters); the table lists them."
            ),
            "",
        ]
    return ["```mermaid", *lines, "```", ""]


def _table(table: Table) -> list[str]:
    def row(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(md_text(cell) for cell in cells) + " |"

    return [row(table.columns), "|" + " --- |" * len(table.columns), *(row(r) for r in table.rows), ""]


MERMAID_CLASSES = {
    "added": "fill:#dafbe1,stroke:#1a7f37",
    "removed": "fill:#ffebe9,stroke:#cf222e,stroke-dasharray:4 3",
    "moved": "fill:#fff8c5,stroke:#9a6700",
}


def mermaid_flowchart(tree: OrgTree) -> list[str]:
    """The flowchart's lines: node ids are generated (root, ou1.., a1..), never taken from names."""
    lines = ["flowchart LR", f"  root[{mermaid_label('Root')}]"]
    ou_ids = {path: f"ou{n}" for n, path in enumerate(tree.units, start=1)}
    for path, node in ou_ids.items():
        parent = path.rpartition("/")[0]
        lines.append(f"  {node}[{mermaid_label(path.rpartition('/')[2] + '/')}]")
        lines.append(f"  {ou_ids.get(parent, 'root')} --> {node}")
    marked: dict[str, list[str]] = {}
    for n, account in enumerate(tree.accounts, start=1):
        words = account.name
        if account.mark is not None:
            words += f" ({account.mark}{', ' + account.note if account.note else ''})"
        lines.append(f"  a{n}({mermaid_label(words)})")
        lines.append(f"  {ou_ids.get(account.ou or '', 'root')} --> a{n}")
        if account.mark is not None:
            marked.setdefault(account.mark, []).append(f"a{n}")
    for mark, nodes in marked.items():
        lines += [f"  classDef {mark} {MERMAID_CLASSES[mark]}", f"  class {','.join(nodes)} {mark}"]
    return lines
