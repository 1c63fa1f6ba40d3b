"""MkDocs hook: forwards every event to `hooks/pages.py`, read afresh for each build.

MkDocs loads a hook file once per process and `mkdocs serve` keeps it for as long as
it runs, so an edit to the hook would not be seen by the next rebuild. This file stays
this small; the work is in pages.py, which is loaded again whenever a build starts.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

PAGES = Path(__file__).with_name("pages.py")
_pages = None


def on_config(config):
    """Load pages.py as it is on disk now, then let it configure the build."""
    global _pages
    spec = importlib.util.spec_from_file_location("lessons_site_pages", PAGES)
    _pages = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(_pages)
    return _pages.on_config(config)


def on_serve(server, config, builder):
    return _pages.on_serve(server, config, builder)


def on_env(env, config, files):
    return _pages.on_env(env, config, files)


def on_files(files, config):
    return _pages.on_files(files, config)


def on_page_markdown(markdown, page, config, files):
    return _pages.on_page_markdown(markdown, page, config, files)


def on_page_content(content, page, config, files):
    return _pages.on_page_content(content, page, config, files)


def on_post_page(output, page, config):
    return _pages.on_post_page(output, page, config)


def on_post_build(config):
    return _pages.on_post_build(config)
