"""The notebooks' shared stylesheet: JupyterLab's whole theme (570 KB) cut down to the
rules the notebook pages can use and the custom properties those rules read.

Nearly all of JupyterLab's stylesheet styles JupyterLab's own interface, which a notebook
page never shows, and a browser must read a stylesheet whole before it draws anything.
"""

from __future__ import annotations

import re
from pathlib import Path

from . import cache

NOTEBOOK_CSS = "assets/notebook.css"
"""Where the site serves it, for every notebook page to link to."""

HTML_CLASSES = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
CSS_STRING = r""""(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'"""
CSS_TOKEN = re.compile(CSS_STRING + r"|/\*.*?\*/|[{};]", re.DOTALL)
CSS_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
CSS_VARIABLE = re.compile(r"var\(\s*(--[\w-]+)")
CSS_CUSTOM_PROPERTY = re.compile(r"\s*(--[\w-]+)\s*:")
CSS_GROUPS = ("@media", "@supports")
"""At-rules holding rules, pruned inside; other at-rules (@keyframes, @font-face) stay whole."""
FUNCTIONAL_PSEUDO_CLASS = re.compile(r":(?:not|is|where|has|matches|-webkit-any|-moz-any)\(")
RUNTIME_CLASS_PREFIX = "md-"
"""Material's scripts add classes of their own (md-...) after a page loads."""


def write(site: Path, stylesheet: str, pages: list[str], root: Path) -> None:
    """Write the pruned stylesheet to the site: the rules that the notebook pages (their
    HTML) can use, with the custom properties read by those rules, by the pages or by
    the site's other stylesheets. Pruned once for these inputs, then taken from the
    cache under root (a rebuild under `mkdocs serve`)."""
    path = site / NOTEBOOK_CSS
    html = "".join(pages)
    read = [css.read_text(encoding="utf-8") for css in site.rglob("*.css") if css != path]
    key = cache.key(*(text.encode("utf-8") for text in [stylesheet, html, *read]))
    cached = root / ".cache" / "notebook-css" / f"{key}.css"
    try:
        css = cached.read_text(encoding="utf-8")
    except OSError:
        classes = {name for found in HTML_CLASSES.findall(html) for name in " ".join(found).split()}
        css = used_css(stylesheet, classes, [html, *read])
        for older in cached.parent.glob("*.css"):  # only the latest inputs come again
            older.unlink()
        cache.write_atomically(cached, css.encode("utf-8"))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(css, encoding="utf-8")


def used_css(css: str, classes: set[str], readers: list[str]) -> str:
    """Return css with only the rules that can match a page carrying these classes, and of
    their custom properties (--name) only those read by a kept rule, by another property
    that is read, or by one of readers (the pages and the site's other stylesheets)."""
    used = _kept_rules(css, lambda selector: _selector_used(selector, classes), bool)
    values: dict[str, list[str]] = {}
    read = {name for text in readers for name in CSS_VARIABLE.findall(text)}
    for declaration in _declarations(used):
        if custom := CSS_CUSTOM_PROPERTY.match(declaration):
            values.setdefault(custom.group(1), []).append(declaration[custom.end() :])
        else:
            read.update(CSS_VARIABLE.findall(declaration))
    unvisited = list(read)
    while unvisited:
        for value in values.get(unvisited.pop(), []):
            for name in set(CSS_VARIABLE.findall(value)) - read:
                read.add(name)
                unvisited.append(name)

    def is_read(declaration: str) -> bool:
        custom = CSS_CUSTOM_PROPERTY.match(declaration)
        return custom is None or custom.group(1) in read

    return _kept_rules(used, bool, is_read)


def _css_split(text: str, separator: str) -> list[str]:
    """Return text cut at each separator (`,` or `;`) outside strings and brackets."""
    parts, start, depth = [], 0, 0
    for token in re.finditer(CSS_STRING + r"|[()\[\]]|" + separator, text):
        found = token.group()
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(found, 0)
        if found == separator and depth == 0:
            parts.append(text[start : token.start()])
            start = token.end()
    return [*parts, text[start:]]


def _css_rules(css: str) -> list[tuple[str, str | None]]:
    """Return a stylesheet's top-level rules as (prelude, body); body None for a statement."""
    rules, start, depth, opened = [], 0, 0, 0
    for token in CSS_TOKEN.finditer(css):
        found = token.group()
        if found == "{":
            opened = token.start() if depth == 0 else opened
            depth += 1
        elif found == "}":
            depth -= 1
            if depth == 0:
                rules.append((css[start:opened].strip(), css[opened + 1 : token.start()]))
                start = token.end()
        elif found == ";" and depth == 0:
            rules.append((css[start : token.start()].strip(), None))
            start = token.end()
    return rules


def _selector_used(selector: str, classes: set[str]) -> bool:
    """Return whether every class a selector requires is on a page or added at runtime.

    Classes inside :not(), :is() and the like, and inside attribute selectors, are not
    required: the selector is kept.
    """
    required, start = [], 0
    for match in FUNCTIONAL_PSEUDO_CLASS.finditer(selector):
        if match.start() < start:
            continue  # inside the brackets just skipped
        required.append(selector[start : match.start()])
        depth, start = 1, match.end()
        while depth and start < len(selector):
            depth += {"(": 1, ")": -1}.get(selector[start], 0)
            start += 1
    required.append(selector[start:])
    named = CSS_CLASS.findall(re.sub(r"\[[^\]]*\]", "", "".join(required)))
    return all(name in classes or name.startswith(RUNTIME_CLASS_PREFIX) for name in named)


def _kept_rules(css: str, keep_selector, keep_declaration) -> str:
    """Return css with the selectors and declarations the two functions keep; a rule left
    with neither is dropped."""
    kept = []
    for prelude, body in _css_rules(css):
        if body is None:
            kept.append(f"{prelude};")
        elif prelude.startswith(CSS_GROUPS):
            if inner := _kept_rules(body, keep_selector, keep_declaration):
                kept.append(f"{prelude}{{{inner}}}")
        elif prelude.startswith("@"):
            kept.append(f"{prelude}{{{body}}}")
        else:
            selectors = [s.strip() for s in _css_split(prelude, ",") if keep_selector(s)]
            declarations = [d.strip() for d in _css_split(body, ";") if d.strip()]
            declarations = [d for d in declarations if keep_declaration(d)]
            if selectors and declarations:
                kept.append(f"{','.join(selectors)}{{{';'.join(declarations)}}}")
    return "".join(kept)


def _declarations(css: str) -> list[str]:
    """Return every declaration of css's rules; an at-rule such as @keyframes whole."""
    found = []
    for prelude, body in _css_rules(css):
        if body is None:
            continue
        if prelude.startswith(CSS_GROUPS):
            found += _declarations(body)
        elif prelude.startswith("@"):
            found.append(body)
        else:
            found += _css_split(body, ";")
    return found
