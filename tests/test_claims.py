"""Claims checked by the build: every sentence that compares numbers is bound to a
predicate over the build's numbers, or takes its wording from them.

The strict build of the session (bundled sample) and CI's strict builds on real MNIST
check every claim of every page; here the checker itself is tested, and made to fail a
build in test_build_failures.py.
"""

from __future__ import annotations

import re

import pytest
from mkdocs.exceptions import PluginError

from hooks.site.placeholders import claims, evaluate
from tests.support import REPO

NUMBERS = {
    "linear": {"accuracy": 0.97, "steps": 980},
    "baseline": {"accuracy": 0.95},
    "data": {"one_image": 0.0005},
}


def test_a_true_claim_shows_nothing_and_a_false_one_fails():
    text = "Learning wins.{{ claim: linear.accuracy > baseline.accuracy }} Next."
    assert claims(text, NUMBERS, "page.md") == "Learning wins. Next."
    with pytest.raises(
        PluginError,
        match=r"a claim is false on this build's data: "
        r"linear.accuracy < baseline.accuracy \(baseline.accuracy = 0.95, "
        r"linear.accuracy = 0.97\)",
    ):
        claims("{{ claim: linear.accuracy < baseline.accuracy }}", NUMBERS, "page.md")


def test_a_choice_takes_its_wording_from_the_numbers():
    text = "It {{ choose: linear.accuracy > baseline.accuracy | beats | loses to }} it."
    assert claims(text, NUMBERS, "page.md") == "It beats it."
    worse = {**NUMBERS, "baseline": {"accuracy": 0.99}}
    assert claims(text, worse, "page.md") == "It loses to it."
    nested = "{{ choose: linear.steps >= 980 | {{ linear.steps }} steps | too few }}"
    assert claims(nested, NUMBERS, "page.md") == "{{ linear.steps }} steps"


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("abs(linear.accuracy - baseline.accuracy) < 2 * data.one_image", False),
        ("0.9 < linear.accuracy <= 1 and not linear.steps == 0", True),
        ("max(linear.accuracy, baseline.accuracy) == linear.accuracy", True),
        ("-linear.steps / 2 < 0", True),
    ],
)
def test_expressions(expression, value):
    assert evaluate(expression, NUMBERS, "page.md") is value


@pytest.mark.parametrize(
    ("expression", "says"),
    [
        ("linear.nope > 0", "no number named 'linear.nope'"),
        ("__import__('os')", "a claim can't use"),
        ("linear.accuracy.real > 0", "no number named"),
        ("linear.accuracy >", "is not an expression"),
    ],
)
def test_anything_else_is_refused(expression, says):
    with pytest.raises(PluginError, match=re.escape(says)):
        evaluate(expression, NUMBERS, "page.md")


def page_claims() -> list[tuple[str, str, str]]:
    """Return (page, "claim" or "choose", expression) for every claim and choice of a page."""
    found = []
    for page in sorted((REPO / "docs").glob("*.md")):
        for kind, expression in re.findall(
            r"\{\{\s*(claim|choose):([^{}|]*?)\s*(?:\||\}\})", page.read_text()
        ):
            found.append((page.name, kind, expression))
    return found


def test_pages_make_claims():
    pages_with_claims = {page for page, _, _ in page_claims()}
    assert {"gradient-descent.md", "multiply.md", "layer.md", "loss.md", "bias.md"} <= (
        pages_with_claims
    )
