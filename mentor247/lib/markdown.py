"""Markdown written by staff, rendered to HTML that is safe to show to anyone."""

from functools import lru_cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

# Raw HTML in the source is shown as text, and link targets are checked by the parser;
# the sanitiser behind it keeps only plain document tags whatever the parser lets through.
_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True})
_ALLOWED_TAGS = {
    "a",
    "blockquote",
    "br",
    "code",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "ul",
}


@lru_cache(maxsize=64)
def render_markdown(text: str) -> SafeString:
    html = _parser.render(text)
    cleaned = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitised just above
