"""The build fails clearly when something is broken, and never trusts a broken cache.

Each test breaks one thing on purpose in a temporary copy of the project, starting
from the cache of the session's build so that only what the breakage touches is redone.
"""

from __future__ import annotations

import shutil

import pytest

from tests.support import broken_function, build_site, copy_project


@pytest.fixture
def project(built, tmp_path):
    copy = copy_project(tmp_path)
    shutil.copytree(built / ".cache", copy / ".cache")
    return copy


def replacing(old: str, new: str):
    """Return an edit of a file's text: its first `old` becomes `new`."""

    def edit(text: str) -> str:
        assert old in text, f"{old!r} not in the file"
        return text.replace(old, new, 1)

    return edit


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
    ("path", "edit", "message"),
    [
        pytest.param(
            "docs/prediction.md",
            replacing("linear_model.py:linear1", "linear_model.py:nope"),
            "nope",
            id="a missing snippet section",
        ),
        pytest.param(
            "lessons_code/linear_model.py",
            lambda text: broken_function(text, "train", "a broken lesson"),
            "a broken lesson",
            id="a lesson that raises",
        ),
        pytest.param(
            "docs/loss.md",
            replacing(
                "{{ claim: thresholds.disagree == 0 }}", "{{ claim: thresholds.disagree > 0 }}"
            ),
            "loss.md: a claim is false on this build's data: thresholds.disagree > 0 "
            "(thresholds.disagree = 0)",
            id="a claim the numbers make false",
        ),
        pytest.param(
            "docs/loss.md",
            replacing('data-widget="nudge"', 'data-widget="nudge-typo"'),
            "no widget named 'nudge-typo' in lessons_code.website.registry",
            id="a widget the registry does not know",
        ),
        pytest.param(
            "docs/notebooks/multiply.py",
            lambda text: text + '\n# %%\nraise RuntimeError("a broken notebook")\n',
            "notebook multiply.py failed when run",
            id="a notebook that raises",
        ),
    ],
)
def test_a_broken_piece_fails_the_build_and_names_it(project, path, edit, message):
    (project / path).write_text(edit((project / path).read_text()))
    result = build_site(project)
    assert result.returncode != 0
    assert message in result.stderr


def test_a_figure_function_that_returns_nothing_is_named(monkeypatch):
    """Drawn without a build: what the build would fail with, and why."""
    from lessons_code.website import cache, registry

    broken = registry.FigureSpec(lambda: None, lambda runs: ())
    monkeypatch.setitem(registry.FIGURES, "sigmoid", broken)
    with pytest.raises(TypeError, match="figure 'sigmoid': expected a matplotlib Figure, got None"):
        cache.render_svg("sigmoid", "light", runs=None)
    monkeypatch.setitem(registry.FIGURES, "sigmoid", registry.FigureSpec(_no_alt, lambda runs: ()))
    with pytest.raises(ValueError, match="figure 'sigmoid' has no alt text"):
        cache.render_svg("sigmoid", "light", runs=None)


def _no_alt():
    from matplotlib.figure import Figure

    return Figure()
