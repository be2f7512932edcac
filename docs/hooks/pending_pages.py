"""MkDocs hook: links to the pages listed under ``extra.pages_from_codecs`` that are not there.

Each codec brings its own explanation and benchmark pages. The pages around them (tutorial,
how-to guides, overviews) link to those pages by their final names; while a page is absent from
the tree the build is strict and would fail on the link, so this hook shows the link text
without the link. Once the page exists the link is left alone and checked like any other.
Only the pages named in ``mkdocs.yml`` are treated this way: every other broken link still fails
the build.
"""

from __future__ import annotations

import logging
import posixpath
import re
from typing import Any

log = logging.getLogger("mkdocs.hooks.pending_pages")

# [text](target.md) or [text](target.md#anchor); images (![...]) are left alone.
_LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]+)\]\((?P<target>[^)\s#]+\.md)(?P<anchor>#[^)\s]*)?\)")


def _in_site(file: Any) -> bool:
    """A page that will be built: present, and not left out by ``exclude_docs``."""
    return file is not None and file.inclusion.is_included()


def on_page_markdown(markdown: str, *, page: Any, config: Any, files: Any, **kwargs: Any) -> str:
    """Replace links to listed pages that are missing from ``files`` by their text."""
    listed = set(config["extra"].get("pages_from_codecs", []))
    missing = {path for path in listed if not _in_site(files.get_file_from_path(path))}
    if not missing:
        return markdown
    here = posixpath.dirname(page.file.src_uri)

    def unlink(match: re.Match[str]) -> str:
        target = posixpath.normpath(posixpath.join(here, match.group("target")))
        if target in missing:
            log.info("%s: %s is not in the tree yet; link shown as text", page.file.src_uri, target)
            return match.group("text")
        return match.group(0)

    return _LINK.sub(unlink, markdown)
