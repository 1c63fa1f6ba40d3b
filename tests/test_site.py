"""The site: a strict build on the bundled sample, checked page by page."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

from benchmarks.build_time import copy_project
from lessons_code import report
from tests.conftest import REPO, build_site, html_path, nav_pages, parse
from tests.reproducible import computed_files, differences

LOCAL_HOSTS = {"", "127.0.0.1", "localhost"}


def test_every_nav_page_exists_and_is_built(built):
    for source in nav_pages():
        assert (REPO / "docs" / source).is_file(), source
        assert html_path(built / "site", source).is_file(), source


def test_every_figure_is_built_in_both_palettes(built):
    site = built / "site"
    for name in report.FIGURES:
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


def test_numbers_on_pages_equal_what_lessons_code_computes(built):
    site = built / "site"
    numbers = json.loads((site / "data" / "numbers.json").read_text())
    expected = report.numbers(report.Runs())
    assert numbers == json.loads(json.dumps(expected))
    accuracy = f"{expected['linear']['final_valid_accuracy']:.1%}"
    for page in ("index.html", "prediction/index.html"):
        assert accuracy in (site / page).read_text(), page
    assert expected["data"]["source"] in "".join(parse(site / "index.html").text)


def test_notebooks_run_at_build_time_and_offer_an_ipynb(built):
    site = built / "site"
    page = (site / "notebooks" / "prediction" / "index.html").read_text()
    assert "image unchanged: True" in page
    assert 'href="../prediction.ipynb"' in page
    notebook = json.loads((site / "notebooks" / "prediction.ipynb").read_text())
    assert notebook["nbformat"] == 4 and notebook["cells"]


def test_unchanged_rebuild_draws_nothing(built):
    result = build_site(built)
    assert result.returncode == 0, result.stderr[-4000:]
    assert "figures drawn this build: none (all cached)" in result.stderr


def test_two_clean_builds_give_identical_figures(built, tmp_path):
    second = copy_project(tmp_path)
    assert build_site(second).returncode == 0
    computed = computed_files(built / "site")
    for name in report.FIGURES:
        assert {f"figures/{name}-light.svg", f"figures/{name}-dark.svg"} <= set(computed)
    exported = {"numbers.json", "model.json", "training.json", "nudge.json", "weights.npz"}
    assert {f"data/{name}" for name in exported} <= set(computed)
    assert not differences(built / "site", second / "site")


def test_a_change_in_one_lesson_redraws_only_what_depends_on_it(built):
    lesson = built / "lessons_code" / "apples_pears.py"
    original = lesson.read_text()
    try:
        lesson.write_text(original + "\n# a contributor's comment\n")
        result = build_site(built)
    finally:
        lesson.write_text(original)
    assert result.returncode == 0, result.stderr[-4000:]
    (drawn,) = re.findall(r"figures drawn this build: (.*)", result.stderr)
    assert set(drawn.split(", ")) == {
        name for name, spec in report.FIGURES.items() if "apples_pears" in spec.uses
    }


def test_the_site_offers_its_weights_to_take_home(built):
    from lessons_code.weights_file import load_weights

    data = built / "site" / "data"
    model = json.loads((data / "model.json").read_text())
    weights, bias = load_weights(data / "weights.npz")
    assert weights.tolist() == model["weights"] and bias == model["bias"]
    page = (built / "site" / "prediction" / "index.html").read_text()
    assert 'href="../data/weights.npz"' in page
