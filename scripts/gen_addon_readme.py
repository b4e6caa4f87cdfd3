"""Generate each addon's README.rst and static/description/index.html (the
page Odoo's Apps screen shows) from its readme/*.md fragments.

    python scripts/gen_addon_readme.py            # write both
    python scripts/gen_addon_readme.py --check    # exit 1 when one is stale

The fragments use a small part of Markdown (headings, paragraphs, bullet
lists, **bold**, *italic*, `code` and [links](url)); this turns it into
reStructuredText the way Odoo's app store and PyPI show it.
"""

import argparse
import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDONS = (
    ROOT / "customer_retention_dunning",
    ROOT / "customer_retention_dunning_sale",
    ROOT / "customer_retention_dunning_queue",
)
SECTIONS = (
    ("DESCRIPTION.md", None),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
    ("CONTRIBUTORS.md", "Contributors"),
)
UNDERLINES = {1: "=", 2: "-", 3: "~"}


def _inline(text):
    text = re.sub(r"`([^`]+)`", r"``\1``", text)
    text = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"`\1 <\2>`_", text)
    return text


def markdown_to_rst(markdown, level_offset=1):
    """Convert the Markdown subset of the fragments to reStructuredText."""
    lines = []
    for line in markdown.splitlines():
        heading = re.match(r"^(#+)\s+(.*)$", line)
        if heading:
            title = _inline(heading.group(2).strip())
            level = min(len(heading.group(1)) + level_offset, 3)
            lines += [title, UNDERLINES[level] * len(title)]
        else:
            lines.append(_inline(line.rstrip()))
    return "\n".join(lines).strip() + "\n"


def render(addon):
    manifest = ast.literal_eval((addon / "__manifest__.py").read_text())
    title = manifest["name"]
    parts = [
        "=" * len(title),
        title,
        "=" * len(title),
        "",
        f"*{manifest['summary']}*",
        "",
        f"Version {manifest['version']} for Odoo 18.0. License: "
        f"{manifest['license']}. Depends on: {', '.join(manifest['depends'])}.",
        "",
        ".. contents::",
        "   :local:",
        "",
    ]
    for filename, heading in SECTIONS:
        path = addon / "readme" / filename
        if not path.exists():
            continue
        if heading:
            parts += [heading, "=" * len(heading), ""]
        parts.append(markdown_to_rst(path.read_text()))
    parts += [
        "",
        ".. This file is generated from readme/*.md by "
        "scripts/gen_addon_readme.py: edit those.",
    ]
    return "\n".join(parts).rstrip() + "\n"


def render_html(rst):
    from docutils.core import publish_parts

    return publish_parts(rst, writer_name="html")["html_body"]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    targets = {}
    for addon in ADDONS:
        rst = render(addon)
        targets[addon / "README.rst"] = rst
        targets[addon / "static" / "description" / "index.html"] = render_html(rst)
    stale = [
        path
        for path, content in targets.items()
        if not path.exists() or path.read_text() != content
    ]
    if args.check:
        for path in stale:
            print(f"{path} is stale: run scripts/gen_addon_readme.py", file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        path.write_text(targets[path])
    return 0


if __name__ == "__main__":
    sys.exit(main())
