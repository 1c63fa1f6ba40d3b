"""The catalogue of the chapter's code cells (docs_src/chapter_cells.yml): one entry per
code cell of fastbook's 04_mnist_basics.ipynb, in order, each under a heading of the
chapter map, and each either shown on the site (snippet sections that exist, included on
the page it names) or not shown, with why. Whether each `page` anchor exists in the
built site is checked in tests/test_learner_questions.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hooks.site.questions import read
from tests.support import chapter_cells

REPO = Path(__file__).resolve().parents[1]
CELLS = chapter_cells()
HEADINGS = [section["heading"] for section in read(REPO)[1]]  # the chapter map's
KEYS = {"cell", "source", "section", "shown", "page", "why", "note"}


def test_the_file_is_a_list_of_cells_numbered_1_to_n():
    assert isinstance(CELLS, list) and CELLS
    assert [entry["cell"] for entry in CELLS] == list(range(1, len(CELLS) + 1))
    for entry in CELLS:
        assert {"cell", "source", "section", "shown"} <= set(entry) <= KEYS, entry
        assert isinstance(entry["source"], str) and len(entry["source"]) <= 80, entry
        assert entry["source"] == entry["source"].rstrip(), entry


def test_every_cell_sits_under_a_heading_of_the_chapter_in_the_chapters_order():
    unknown = [entry["cell"] for entry in CELLS if entry["section"] not in HEADINGS]
    assert not unknown
    order = [HEADINGS.index(entry["section"]) for entry in CELLS]
    assert order == sorted(order), "the cells' sections go back in the chapter"


def _snippet_sections(path: Path) -> set[str]:
    """Return the names of the snippet sections a file marks, each started and ended."""
    text = path.read_text()
    started = set(re.findall(r"# --8<-- \[start:([\w-]+)\]", text))
    ended = set(re.findall(r"# --8<-- \[end:([\w-]+)\]", text))
    return started & ended


@pytest.mark.parametrize("entry", CELLS, ids=lambda entry: f"cell {entry['cell']}")
def test_a_cell_is_shown_by_a_snippet_on_its_page_or_says_why_not(entry):
    if entry["shown"] is False:
        assert isinstance(entry.get("why"), str) and entry["why"].strip(), entry
        assert "page" not in entry, entry
        return
    assert "why" not in entry, entry
    assert isinstance(entry["shown"], list) and entry["shown"], entry
    for shown in entry["shown"]:
        file, _, section = shown.partition(":")
        assert (REPO / file).is_file(), shown
        assert section in _snippet_sections(REPO / file), shown
    page, _, anchor = entry["page"].partition("#")
    assert re.fullmatch(r"[\w-]+\.md", page) and anchor, entry["page"]
    markdown = (REPO / "docs" / page).read_text()
    included = [shown for shown in entry["shown"] if f'--8<-- "{shown}"' in markdown]
    assert included, f"{page} includes none of {entry['shown']}"


def test_every_section_of_the_chapters_pytorch_files_is_a_home_of_some_cell():
    shown = {item for entry in CELLS if entry["shown"] for item in entry["shown"]}
    for path in sorted((REPO / "docs_src" / "pytorch").glob("*.py")):
        for section in _snippet_sections(path):
            assert f"docs_src/pytorch/{path.name}:{section}" in shown, (path.name, section)
