"""The site: a strict build on the bundled sample, checked page by page, and a cache that
can never show a number older than the code."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import sys
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from lessons_code import summaries
from lessons_code.linear_model import RECIPE
from lessons_code.website.registry import FIGURES, WIDGETS, numbers
from lessons_code.website.runs import Runs
from tests.support import (
    REPO,
    build_site,
    copy_project,
    html_path,
    nav_pages,
    parse,
    python_in,
    stub_project,
)
from tests.support.reproducible import computed_files, differences

LOCAL_HOSTS = {"", "127.0.0.1", "localhost"}
SAMPLE_TRAIN_SIZE = 800  # the bundled sample's training 3s and 7s


def test_every_nav_page_exists_and_is_built(built):
    for source in nav_pages():
        assert (REPO / "docs" / source).is_file(), source
        assert html_path(built / "site", source).is_file(), source


def test_every_figure_is_built_in_both_palettes(built):
    site = built / "site"
    for name in FIGURES:
        for theme in ("light", "dark"):
            svg = site / "figures" / f"{name}-{theme}.svg"
            assert svg.read_bytes().rstrip().endswith(b"</svg>"), svg


def test_no_page_shows_a_traceback_or_an_error(built):
    for page_path in (built / "site").rglob("*.html"):
        text = "".join(parse(page_path).text)
        for marker in ("Traceback (most recent call last)", "Error:", "{{"):
            assert marker not in text, f"{page_path} shows {marker!r}"


def test_nothing_is_loaded_from_another_host(built):
    site = built / "site"
    for page_path in site.rglob("*.html"):
        for url in parse(page_path).loaded:
            host = urlsplit(url).hostname or ""
            assert host in LOCAL_HOSTS, f"{page_path} loads {url}"
    for stylesheet in site.rglob("*.css"):
        for url in re.findall(r"url\(([^)]+)\)", stylesheet.read_text(errors="replace")):
            host = urlsplit(url.strip("'\"")).hostname or ""
            assert host in LOCAL_HOSTS, f"{stylesheet} loads {url}"


def test_math_is_mathml_made_at_build_time(built):
    page = (built / "site" / "prediction" / "index.html").read_text()
    assert "<math" in page and "arithmatex" not in page


def test_no_page_shows_raw_latex(built):
    """A formula the converter missed (inside a paragraph, say) would show its source."""
    for page_path in (built / "site").rglob("*.html"):
        text = "".join(parse(page_path).text)
        for raw in ("\\frac", "\\[", "\\(", "\\sum", "\\partial"):
            assert raw not in text, f"{page_path} shows raw LaTeX {raw!r}"


def test_numbers_on_pages_equal_what_lessons_code_computes(built):
    site = built / "site"
    found = json.loads((site / "data" / "numbers.json").read_text())
    expected = numbers(Runs())
    assert found == json.loads(json.dumps(expected))
    accuracy = f"{expected['linear']['final_valid_accuracy']:.1%}"
    for page in ("index.html", "prediction/index.html"):
        assert accuracy in (site / page).read_text(), page
    assert expected["data"]["source"] in "".join(parse(site / "index.html").text)


def test_the_commands_output_the_running_page_shows_fits_its_code_column(built):
    shown = json.loads((built / "site" / "data" / "numbers.json").read_text())["cli"]
    for command, output in shown.items():
        too_long = [line for line in output.splitlines() if len(line) > summaries.WIDTH]
        assert not too_long, f"lessons {command}: {too_long}"


def test_every_widget_on_a_page_is_registered_and_addressed(built):
    site, seen = built / "site", set()
    for source in nav_pages():
        for widget in parse(html_path(site, source)).widgets:
            name, data = widget["data-widget"], widget["data-src"]
            assert data.endswith(f"data/{WIDGETS[name].data}"), (source, name, data)
            assert (html_path(site, source).parent / data).resolve().is_file(), (source, data)
            assert (REPO / "docs" / "javascripts" / "widgets" / f"{name}.mjs").is_file(), name
            seen.add(name)
    assert seen == set(WIDGETS), f"registered but on no page: {set(WIDGETS) - seen}"


def test_notebooks_run_at_build_time_and_offer_an_ipynb(built):
    site = built / "site"
    page = (site / "notebooks" / "prediction" / "index.html").read_text()
    assert "image unchanged: True" in page
    assert 'href="../prediction.ipynb"' in page
    notebook = json.loads((site / "notebooks" / "prediction.ipynb").read_text())
    assert notebook["nbformat"] == 4 and notebook["cells"]


def test_notebook_pages_share_a_light_stylesheet(built):
    site = built / "site"
    stylesheet = site / "assets" / "notebook.css"
    assert stylesheet.stat().st_size < 60_000, "the notebooks' stylesheet is JupyterLab's whole"
    for source in nav_pages():
        if source.startswith("notebooks/"):
            links = parse(html_path(site, source)).loaded
            assert "../../assets/notebook.css" in links, source


def test_unchanged_rebuild_draws_nothing(built, tmp_path):
    project = copy_project(tmp_path)  # the session's site stays whole for other workers
    shutil.copytree(built / ".cache", project / ".cache")
    result = build_site(project)
    assert result.returncode == 0, result.stderr[-4000:]
    assert "figures drawn this build: none (all cached)" in result.stderr
    assert "Cache miss" not in result.stderr  # no notebook page converted again


CACHED_COMPUTATION = """
import runpy, sys
sys.argv = ["lessons_code.website", sys.argv[1]]
try:
    runpy.run_module("lessons_code.website", run_name="__main__")
except SystemExit as done:
    assert done.code == 0, done.code
print(sorted(m for m in ("matplotlib", "lessons_code.website.runs") if m in sys.modules))
"""
"""The computation, then the heavy modules it loaded: found in the cache, none."""


def test_a_cached_computation_loads_neither_matplotlib_nor_the_runs(built):
    """Every build starts the computation, `mkdocs serve` at every edit: found in the
    cache, it checks the files' checksums and loads nothing heavy (matplotlib alone took a
    second of each rebuild)."""
    done = python_in(built, "-c", CACHED_COMPUTATION, str(built / ".cache" / "site"), timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "none (all cached)" in done.stderr
    assert done.stdout.splitlines()[-1] == "[]"


THREE_BUILDS_IN_ONE_PROCESS = """
import logging, os, sys
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config
logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(message)s")
lesson = Path("lessons_code/linear_model.py")
for step in ("first", "unchanged", "lesson touched"):
    if step == "lesson touched":
        os.utime(lesson)  # saved again, the same text: what an editor does
    print(f"== {step}", flush=True)
    build(load_config("mkdocs.yml"))
"""
"""Three builds in one process, as `mkdocs serve` rebuilds: the last after a lesson's save."""
REUSED = "figures and numbers: the last build's"


def test_a_rebuild_in_the_same_process_starts_no_computation_until_a_lesson_changes(
    built, tmp_path
):
    project = copy_project(tmp_path)  # the session's site stays whole for other workers
    shutil.copytree(built / ".cache", project / ".cache")
    done = python_in(project, "-c", THREE_BUILDS_IN_ONE_PROCESS, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    first, unchanged, touched = done.stdout.split("== ")[1:]
    assert REUSED not in first and "none (all cached)" in first
    assert REUSED in unchanged and "figures drawn" not in unchanged
    assert REUSED not in touched and "none (all cached)" in touched


@pytest.mark.gate  # .ci/run: two clean clones on real MNIST; the GitHub workflow: here
def test_a_second_clean_computation_gives_the_same_bytes(built, tmp_path):
    """The build copies its figures and data from python -m lessons_code.website: made
    again from a clean copy of the project, every file is the same to the byte, though
    the session's build had one BLAS thread (tests/__init__.py) and this one has two: a
    learner's laptop gets the site's numbers whatever its core count."""
    second = copy_project(tmp_path)
    computed_again = python_in(
        second,
        *("-m", "lessons_code.website", str(second / ".cache" / "site")),
        timeout=600,
        OPENBLAS_NUM_THREADS="2",
        OMP_NUM_THREADS="2",
        MKL_NUM_THREADS="2",
    )
    assert computed_again.returncode == 0, computed_again.stderr[-3000:]
    entry = Path(json.loads(computed_again.stdout.splitlines()[-1])["entry"])
    computed = computed_files(built / "site")
    for name in FIGURES:
        assert {f"figures/{name}-light.svg", f"figures/{name}-dark.svg"} <= set(computed)
    exported = {"numbers.json", "weights.npz", *(widget.data for widget in WIDGETS.values())}
    assert {f"data/{name}" for name in exported} <= set(computed)
    assert not differences(built / "site", entry)


def test_the_site_offers_its_weights_to_take_home(built):
    from lessons_code.weights_file import load_weights

    data = built / "site" / "data"
    model = json.loads((data / "model.json").read_text())
    weights, bias = load_weights(data / "weights.npz")
    assert weights.tolist() == model["weights"] and bias == model["bias"]
    page = (built / "site" / "prediction" / "index.html").read_text()
    assert 'href="../data/weights.npz"' in page


# What `mkdocs serve` does: one process, a build, a saved edit, a rebuild with a fresh config.
SERVE_LIKE = """
import logging, pathlib, sys
logging.basicConfig(level=logging.WARNING)  # a failed build says why
from mkdocs.commands.build import build
from mkdocs.config import load_config
build(load_config(strict=True, site_dir="site"))
lesson = pathlib.Path("lessons_code/learner.py")
lesson.write_text(lesson.read_text().replace(sys.argv[1], sys.argv[2]))
build(load_config(strict=True, site_dir="site"))
"""
DEFAULT_EPOCHS = "    epochs: int = 20\n"


def shown_steps(project) -> tuple[int, int, str]:
    """Return the linear model's recipe epochs and steps in numbers.json, and the steps the
    home page states."""
    site = project / "site"
    linear = json.loads((site / "data" / "numbers.json").read_text())["linear"]
    (sentence,) = re.findall(
        r"chapter's recipe \(([\d,]+) steps", (site / "index.html").read_text()
    )
    return linear["chapter_epochs"], linear["steps"], sentence


def steps_of(epochs: int) -> int:
    """Return the steps the chapter's recipe with this many epochs makes on the sample."""
    recipe = replace(RECIPE, epochs=epochs)
    return recipe.epochs_on(SAMPLE_TRAIN_SIZE) * -(-SAMPLE_TRAIN_SIZE // recipe.batch_size)


STEPS_PAGE = """# The recipe

Trained with the chapter's recipe ({{ linear.steps }} steps of learning rate
{{ linear.learning_rate }}).
"""


@pytest.fixture
def edited_copy(built, tmp_path):
    """Return the project with one page that states the recipe's steps, and the cache of
    the session's build: the hook, the computation and the cache, without the notebooks."""
    project = stub_project(tmp_path, STEPS_PAGE)
    shutil.copytree(built / ".cache", project / ".cache")
    assert DEFAULT_EPOCHS in (project / "lessons_code" / "learner.py").read_text()
    return project


def test_a_lesson_edit_shows_in_a_rebuild_in_the_same_process_and_in_a_new_build(edited_copy):
    """The stale-number bug: an edited default must reach the page, in serve and after."""
    project = edited_copy
    edited = DEFAULT_EPOCHS.replace("20", "24")
    served = python_in(project, "-c", SERVE_LIKE, DEFAULT_EPOCHS, edited, timeout=600)
    assert served.returncode == 0, served.stderr[-4000:]
    assert shown_steps(project) == (24, steps_of(24), f"{steps_of(24):,}")
    # Edited again, back to the session's default, and built by a new process: the pages
    # show 20 again, from the session's cache entry for exactly that source, not the 24
    # the last build left in the site and the cache.
    lesson = project / "lessons_code" / "learner.py"
    lesson.write_text(lesson.read_text().replace("epochs: int = 24\n", "epochs: int = 20\n"))
    assert DEFAULT_EPOCHS in lesson.read_text()
    result = build_site(project)
    assert result.returncode == 0, result.stderr[-4000:]
    assert shown_steps(project) == (20, steps_of(20), f"{steps_of(20):,}")
    assert "figures drawn this build: none (all cached)" in result.stderr


def test_mkdocs_serve_watches_every_input():
    config = (REPO / "mkdocs.yml").read_text()
    (watched,) = re.findall(r"\nwatch:.*\n((?:  - .*\n)+)", config)
    watched = {line.strip("- \n") for line in watched.splitlines()}
    assert watched == {"lessons_code", "docs_src", "hooks"}


def test_every_build_reads_every_module_of_the_hook_afresh(tmp_path):
    """MkDocs keeps hooks/build.py for as long as `mkdocs serve` runs; each build loads
    the package it forwards to from disk again, so an edit to any module of it shows."""
    hooks = tmp_path / "hooks"
    shutil.copytree(REPO / "hooks", hooks, ignore=shutil.ignore_patterns("__pycache__"))
    spec = importlib.util.spec_from_file_location("hook_under_test", hooks / "build.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    first = hook.load()
    loaded = {name: sys.modules[name] for name in sys.modules if name.startswith(hook.NAME)}
    assert f"{hook.NAME}.placeholders" in loaded and f"{hook.NAME}.notebook_css" in loaded
    placeholders = hooks / "site" / "placeholders.py"
    text = placeholders.read_text()
    assert 'THEMES = ("light", "dark")' in text
    placeholders.write_text(text.replace('THEMES = ("light", "dark")', 'THEMES = ("edited",)'))
    second = hook.load()
    assert second is not first and second.placeholders.THEMES == ("edited",)
    for name, module in loaded.items():
        assert sys.modules[name] is not module, f"{name} was not loaded again"


SEARCHED = {
    "requires_grad": ("autograd", "requires_grad"),
    "backward": ("autograd", "backward"),
    "zeroing the gradients": ("autograd", "must be zeroed"),
    "computational graph": ("autograd", "the computational graph"),
    "DataLoader": ("pytorch", "the dataloader"),
    "Learner": ("pytorch", "learner"),
    "broadcasting": ("pytorch", "broadcasting"),
    "rank": ("pytorch", "rank and shape"),
    "shape": ("pytorch", "rank and shape"),
    "view": ("pytorch", "view, reshape"),
    "nn.Linear": ("pytorch", "nn.linear"),
    "F.relu": ("pytorch", "nn.relu and f.relu"),
    "nn.ReLU": ("pytorch", "nn.relu and f.relu"),
    "seven steps": ("pytorch", "the seven steps"),
    "universal approximation": ("layer", "more than one"),
}
"""The chapter's words a reader searches for: the page, and the section of it, that explains
each one."""


def test_the_search_index_finds_the_chapters_words_where_they_are_explained(built):
    index = json.loads((built / "site" / "search" / "search_index.json").read_text())
    sections = [
        (
            entry["location"],
            re.sub(r"<[^>]+>", "", entry["title"]).lower(),
            re.sub(r"<[^>]+>", "", entry["title"] + " " + entry["text"]).lower(),
        )
        for entry in index["docs"]
    ]
    for term, (page, heading) in SEARCHED.items():
        explaining = [
            text
            for location, title, text in sections
            if location.startswith(f"{page}/#") and heading in title
        ]
        assert explaining, f"no section {heading!r} on {page}/ in the search index"
        assert any(term.lower() in text for text in explaining), (term, page, heading)
