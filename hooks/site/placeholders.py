"""The page language: `{{ group.name:format }}`, `{{ figure:NAME }}`, `{{ claim: EXPR }}`
and `{{ choose: EXPR | if true | if false }}`, replaced in a page's Markdown from the
build's numbers and figures. CONTRIBUTING.md, "The page language", is its reference."""

from __future__ import annotations

import ast
import posixpath
import re

from mkdocs.exceptions import PluginError

THEMES = ("light", "dark")
PLACEHOLDER = re.compile(r"\{\{\s*(figure:)?([A-Za-z_][\w.-]*)(?::([^}\s]*))?\s*\}\}")
CLAIM = re.compile(r"\{\{\s*claim:([^{}|]*?)\s*\}\}")
WORDS = r"((?:[^{}|]|\{\{[^{}|]*\}\})*?)"  # text, with {{ numbers }} inside it if need be
CHOOSE = re.compile(r"\{\{\s*choose:([^{}|]*?)\|" + WORDS + r"\|" + WORDS + r"\}\}")


def page_markdown(markdown: str, page: str, numbers: dict, figures: dict, url: str) -> str:
    """Return a page's Markdown with its claims checked and the build's numbers and
    figures where it names them; page is its path in docs/, for error messages, and url
    its address on the site, from which a figure's other layouts are linked."""

    def substitute(match: re.Match) -> str:
        is_figure, name, spec = match.groups()
        if is_figure:
            return _figure(name, figures, page, url)
        return _number(name, spec, numbers, page)

    return PLACEHOLDER.sub(substitute, claims(markdown, numbers, page))


def _number(name: str, spec: str | None, numbers: dict, page: str) -> str:
    value = _value(name, numbers, page)
    if isinstance(value, dict):
        raise PluginError(f"{page}: {name!r} is a group of numbers, name one of {list(value)}")
    if spec is None:
        return f"{value:,}" if isinstance(value, int) else str(value)
    return format(value, spec)


def _value(name: str, numbers: dict, page: str):
    """Return the number a dotted name points at in numbers.json."""
    value = numbers
    for part in name.split("."):
        if not isinstance(value, dict) or part not in value:
            raise PluginError(f"{page}: no number named {name!r} in the build's numbers.json")
        value = value[part]
    return value


def _figure(name: str, figures: dict, page: str, url: str) -> str:
    """Return the Markdown of a figure in both palettes, with its alt text and size: a
    picture whose image is the wide layout (MkDocs checks its link), and a source for each
    other layout with the media query it is for."""
    if name not in figures:
        raise PluginError(f"{page}: no figure named {name!r} in lessons_code.website.registry")
    record = figures[name]
    alt = re.sub(r"[\[\]\n]", " ", record["alt"])
    wide = record["layouts"]["wide"]
    width, height = wide["size"]
    folder, here = posixpath.dirname(page) or ".", posixpath.dirname(url) or "."
    pictures = []
    for theme in THEMES:
        sources = "".join(
            f'<source media="{layout["media"]}" '
            f'srcset="{posixpath.relpath(layout["files"][theme], here)}" '
            f'width="{layout["size"][0]}" height="{layout["size"][1]}">'
            for layout in record["layouts"].values()
            if "media" in layout
        )
        image = (
            f"![{alt}]({posixpath.relpath(wide['files'][theme], folder)}#only-{theme})"
            f"{{ loading=lazy decoding=async width={width} height={height} }}"
        )
        pictures.append(f"<picture>{sources}{image}</picture>")
    return " ".join(pictures)


FUNCTIONS = {"abs": abs, "min": min, "max": max, "round": round}
OPERATORS = {
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}


def evaluate(expression: str, numbers: dict, page: str):
    """Return the value of a claim's expression: numbers by dotted name, comparisons,
    arithmetic, and/or/not, abs/min/max/round. Anything else is refused."""

    def value(node):
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float | str):
            return node.value
        if isinstance(node, ast.Name | ast.Attribute):
            return _value(ast.unparse(node), numbers, page)
        if isinstance(node, ast.BinOp) and type(node.op) in OPERATORS:
            return OPERATORS[type(node.op)](value(node.left), value(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.Not):
            operand = value(node.operand)
            return -operand if isinstance(node.op, ast.USub) else not operand
        if isinstance(node, ast.BoolOp):
            values = [value(operand) for operand in node.values]
            return all(values) if isinstance(node.op, ast.And) else any(values)
        if isinstance(node, ast.Compare):
            left = value(node.left)
            for operator, comparator in zip(node.ops, node.comparators, strict=True):
                right = value(comparator)
                if type(operator) not in OPERATORS or not OPERATORS[type(operator)](left, right):
                    return False
                left = right
            return True
        if isinstance(node, ast.Call) and ast.unparse(node.func) in FUNCTIONS:
            return FUNCTIONS[ast.unparse(node.func)](*map(value, node.args))
        raise PluginError(f"{page}: a claim can't use {ast.unparse(node)!r} (in {expression!r})")

    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError as error:
        raise PluginError(f"{page}: claim {expression!r} is not an expression: {error}") from None
    return value(tree.body)


def _shown(expression: str, numbers: dict, page: str) -> str:
    """Return the numbers an expression names, as "name = value", for an error message."""
    names = {ast.unparse(n) for n in ast.walk(ast.parse(expression.strip(), mode="eval"))}
    named = sorted(n for n in names if re.fullmatch(r"[A-Za-z_][\w.]*", n) and "." in n)
    return ", ".join(f"{name} = {_value(name, numbers, page)!r}" for name in named)


def claims(markdown: str, numbers: dict, page: str) -> str:
    """Check every claim of a page against the numbers; put each chosen wording in place."""

    def check(match: re.Match) -> str:
        if evaluate(match.group(1), numbers, page) is not True:
            raise PluginError(
                f"{page}: a claim is false on this build's data: {match.group(1).strip()} "
                f"({_shown(match.group(1), numbers, page)})"
            )
        return ""

    def choose(match: re.Match) -> str:
        condition, if_true, if_false = match.groups()
        return (if_true if evaluate(condition, numbers, page) else if_false).strip()

    return CLAIM.sub(check, CHOOSE.sub(choose, markdown))
