"""MkDocs hook: forwards every event to the package `hooks/site/`, read afresh for each build.

MkDocs loads a hook file once per process and `mkdocs serve` keeps it for as long as
it runs, so an edit to the hook would not be seen by the next rebuild. This file stays
this small; the work is in hooks/site/, whose every module is loaded again from disk
whenever a build starts.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

PACKAGE = Path(__file__).with_name("site")
NAME = "lessons_site_hook"
"""The package's name among the loaded modules (not `site`, which is Python's own)."""
_events = None
_kept: dict = {}
"""What a build leaves to the next one in this process (`mkdocs serve`): the package is
loaded afresh for each build, this file is not."""


def load():
    """Return the hook's events, every module of the package loaded anew from disk."""
    for name in [name for name in sys.modules if name == NAME or name.startswith(f"{NAME}.")]:
        del sys.modules[name]  # else `from . import x` would find the last build's x
    spec = importlib.util.spec_from_file_location(
        NAME, PACKAGE / "__init__.py", submodule_search_locations=[str(PACKAGE)]
    )
    package = importlib.util.module_from_spec(spec)
    sys.modules[NAME] = package
    spec.loader.exec_module(package)
    return importlib.import_module(f"{NAME}.events")


def on_config(config):
    """Load the package as it is on disk now, then let it configure the build."""
    global _events
    _events = None  # a package that fails to load leaves no last build's events behind
    _events = load()
    return _events.on_config(config, _kept)


def on_serve(server, config, builder):
    return _events.on_serve(server, config, builder)


def on_env(env, config, files):
    return _events.on_env(env, config, files)


def on_files(files, config):
    return _events.on_files(files, config)


def on_page_markdown(markdown, page, config, files):
    return _events.on_page_markdown(markdown, page, config, files)


def on_page_content(content, page, config, files):
    return _events.on_page_content(content, page, config, files)


def on_post_page(output, page, config):
    return _events.on_post_page(output, page, config)


def on_post_build(config):
    return _events.on_post_build(config)


def on_build_error(error):
    if _events is not None:  # None: the hook itself could not be loaded
        _events.on_build_error(error)


def on_shutdown():
    if _events is not None:
        _events.on_shutdown()
