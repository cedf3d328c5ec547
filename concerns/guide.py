"""docs/concerns.md, the plain-English guide to how concerns are decided, as the service's page
at /concerns/how-concerns-are-decided/. The Markdown file is the one source: the page is
rendered from it with Python-Markdown (docs/decisions/0030), once per process."""

import functools
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element

import markdown
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

GUIDE_PATH = Path(settings.BASE_DIR) / "docs" / "concerns.md"


@dataclass(frozen=True)
class Guide:
    title: str
    html: SafeString


class _ColumnHeaders(Treeprocessor):
    """Markdown writes a table's header cells without saying they head columns; the service's
    own tables do, so that a screen reader reads each cell with its column's name."""

    def run(self, root: Element) -> None:
        for header in root.iter("th"):
            header.set("scope", "col")


class _ColumnHeadersExtension(Extension):
    def extendMarkdown(self, md) -> None:  # noqa: N802 (Python-Markdown's name)
        md.treeprocessors.register(_ColumnHeaders(md), "column_headers", 0)


def render(text: str) -> Guide:
    converter = markdown.Markdown(
        extensions=["tables", "toc", "sane_lists", _ColumnHeadersExtension()],
        output_format="html",
    )
    # The file is ours, in the repository, reviewed like code: its HTML is trusted as a
    # template's would be.
    html = converter.convert(text)
    headings = [token for token in converter.toc_tokens if token["level"] == 1]
    title = headings[0]["name"] if headings else "How concerns are decided"
    return Guide(title=title, html=mark_safe(html))  # noqa: S308


@functools.cache
def guide() -> Guide:
    return render(GUIDE_PATH.read_text(encoding="utf-8"))
