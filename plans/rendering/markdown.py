"""Prose sections as safe HTML: Markdown without raw HTML, cleaned against an allow-list.

Two layers, so that one mistake does not open the page or the PDF renderer:

1. Python-Markdown runs with its raw-HTML handling removed: ``<script>``, ``<img>``, ``<style>`` or
   ``<svg>`` typed into a section are escaped and shown as the text they are.
2. nh3 then keeps only the tags and attributes of the allow-list below. Images are not on it (a
   Markdown ``![..](..)`` disappears), links keep only ``http``, ``https`` and ``mailto`` targets,
   relative targets are dropped, and every link gets ``rel="noopener noreferrer nofollow"``.

Nothing in the output makes a browser or WeasyPrint load anything: the only URLs left are link
targets, which neither fetches.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "hr",
        "strong",
        "em",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "a",
        "h4",
        "h5",
        "h6",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "span",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "span": {"class", "title"}}
# Spans come only from live figures (``plans.rendering.livefigures``), with these classes.
ALLOWED_CLASSES = {"span": {"live-figure", "live-figure-unknown"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer nofollow"

# A section's own title is h1–h3 (its level); headings inside its text start below that.
HEADING_OFFSET = 3


class _ShiftHeadings(Treeprocessor):
    def run(self, root: ET.Element) -> None:
        for element in root.iter():
            if len(element.tag) == 2 and element.tag[0] == "h" and element.tag[1].isdigit():
                element.tag = f"h{min(int(element.tag[1]) + HEADING_OFFSET, 6)}"


class _ProseExtension(Extension):
    """Remove raw HTML from Markdown and move its headings under the section's title."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_ShiftHeadings(md), "shift_headings", 5)


def converter(extensions: Sequence[Extension] = ()) -> markdown.Markdown:
    """A Markdown converter without raw HTML. Its output must still pass ``clean_html``.

    One converter may render many texts: call ``reset()`` between them.
    """
    return markdown.Markdown(
        extensions=["tables", "sane_lists", _ProseExtension(), *extensions], output_format="html"
    )


def clean_html(html: str) -> str:
    """Return ``html`` with only the allow-listed tags, attributes and link targets."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes={
            tag: names - {"class"} if tag in ALLOWED_CLASSES else set(names)
            for tag, names in ALLOWED_ATTRIBUTES.items()
        },
        allowed_classes={tag: set(names) for tag, names in ALLOWED_CLASSES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        url_relative="deny",
        link_rel=LINK_REL,
        strip_comments=True,
    )


def render_markdown(text: str, *, extensions: Sequence[Extension] = ()) -> str:
    """Return the Markdown ``text`` as safe HTML (see the module docstring for what is kept).

    ``extensions`` are further Markdown extensions, such as the live figures'.
    """
    return clean_html(converter(extensions).convert(text))
