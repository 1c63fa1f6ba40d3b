"""The build fails clearly when something is broken, and never trusts a broken cache.

Each test breaks one thing on purpose in a temporary copy of the project, starting
from the cache of the session's build so that only what the breakage touches is redone.
"""

from __future__ import annotations

import shutil

import pytest

from tests.support import build_site, copy_project


@pytest.fixture
def project(built, tmp_path):
    copy = copy_project(tmp_path)
    shutil.copytree(built / ".cache", copy / ".cache")
    return copy


def replace_in(path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def test_a_broken_cache_file_is_drawn_again(project):
    (svg,) = (project / ".cache" / "site").glob("*/figures/sigmoid-light.svg")
    svg.write_bytes(svg.read_bytes()[:500])  # a truncated file, as a crash would leave it
    result = build_site(project)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "figure sigmoid: cached file failed its checksum" in result.stderr
    assert "figures drawn this build: sigmoid" in result.stderr
    assert (
        (project / "site" / "figures" / "sigmoid-light.svg")
        .read_bytes()
        .rstrip()
        .endswith(b"</svg>")
    )


@pytest.mark.parametrize(
    ("path", "old", "new", "message"),
    [
        pytest.param(
            "docs/prediction.md",
            "linear_model.py:linear1",
            "linear_model.py:nope",
            "nope",
            id="a missing snippet section",
        ),
        pytest.param(
            "lessons_code/baseline.py",
            "    ideal_3, ideal_7 = ideal_digits(data.train_x, data.train_y)\n",
            '    raise RuntimeError("a broken lesson")\n',
            "a broken lesson",
            id="a lesson that raises",
        ),
        pytest.param(
            "lessons_code/website/figures.py",
            "def sigmoid_curve(scores: np.ndarray) -> Figure:\n",
            "def sigmoid_curve(scores: np.ndarray) -> Figure:\n    return None\n",
            "figure 'sigmoid': expected a matplotlib Figure, got None",
            id="a figure function that returns nothing",
        ),
        pytest.param(
            "docs/loss.md",
            "{{ claim: thresholds.disagree == 0 }}",
            "{{ claim: thresholds.disagree > 0 }}",
            "loss.md: a claim is false on this build's data: thresholds.disagree > 0 "
            "(thresholds.disagree = 0)",
            id="a claim the numbers make false",
        ),
        pytest.param(
            "docs/loss.md",
            'data-widget="nudge"',
            'data-widget="nudge-typo"',
            "no widget named 'nudge-typo' in lessons_code.website.registry",
            id="a widget the registry does not know",
        ),
        pytest.param(
            "docs/notebooks/multiply.py",
            'print("linear model:", round(run.final_valid_accuracy, 4))\n',
            'raise RuntimeError("a broken notebook")\n',
            "notebook multiply.py failed when run",
            id="a notebook that raises",
        ),
    ],
)
def test_a_broken_piece_fails_the_build_and_names_it(project, path, old, new, message):
    replace_in(project / path, old, new)
    result = build_site(project)
    assert result.returncode != 0
    assert message in result.stderr
