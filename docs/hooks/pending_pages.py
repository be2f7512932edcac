"""MkDocs hook: links to the files listed under ``extra.expected_files`` that are not there.

Each codec brings its own explanation and benchmark pages, and the benchmark chart is drawn from
their figures. The pages around them (tutorial, how-to guides, overviews) link to those files by
their final names; while a file is absent from the tree the strict build would fail on the
link, so this hook shows a link's text without the link and leaves an image out. Once the file
exists the link is left alone and checked like any other. Only the files named in
``mkdocs.yml`` are treated this way: every other broken link still fails the build.
"""

from __future__ import annotations

import logging
import posixpath
import re
from typing import Any

log = logging.getLogger("mkdocs.hooks.pending_pages")

# [text](target.md), [text](target.md#anchor) and images ![alt](target.svg).
_LINK = re.compile(
    r"(?P<image>!?)\[(?P<text>[^\]]*)\]\((?P<target>[^)\s#]+)(?P<anchor>#[^)\s]*)?\)"
)


def _in_site(file: Any) -> bool:
    """A page that will be built: present, and not left out by ``exclude_docs``."""
    return file is not None and file.inclusion.is_included()


def on_page_markdown(markdown: str, *, page: Any, config: Any, files: Any, **kwargs: Any) -> str:
    """Replace links to listed files missing from ``files`` by their text; drop such images."""
    listed = set(config["extra"].get("expected_files", []))
    missing = {path for path in listed if not _in_site(files.get_file_from_path(path))}
    if not missing:
        return markdown
    here = posixpath.dirname(page.file.src_uri)

    def unlink(match: re.Match[str]) -> str:
        target = posixpath.normpath(posixpath.join(here, match.group("target")))
        if target not in missing:
            return match.group(0)
        log.info("%s: %s is not in the tree yet; link left out", page.file.src_uri, target)
        return "" if match.group("image") else match.group("text")

    return _LINK.sub(unlink, markdown)
