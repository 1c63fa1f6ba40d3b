"""The lessons' pages: each answers its question first, shows what it promises, and
states no number about a run by hand."""

from __future__ import annotations

import re

import pytest

from lessons_code import apples_pears
from lessons_code.website.registry import FIGURES
from tests.support import (
    CODE_COLUMN,
    PHONE_CODE_COLUMN,
    REPO,
    html_path,
    lesson_pages,
    nav_pages,
    parse,
    read_page,
    snippet_pages,
    snippets,
)

DOCS = REPO / "docs"
MARKDOWN_PAGES = [page for page in nav_pages() if page.endswith(".md")]

LESSONS = lesson_pages()
FIGURE_PLACEHOLDER = re.compile(r"\{\{\s*figure:([\w.-]+)")


def promised_figures(page: str) -> set[str]:
    """Return the figures a page's source names with {{ figure:NAME }}."""
    return set(FIGURE_PLACEHOLDER.findall((DOCS / page).read_text()))


NOTEBOOKS = {
    "prediction.md",
    "multiply.md",
    "apples-pears.md",
    "gradient-descent.md",
    "ten-digits.md",
}

# Numbers a page may quote because they are not about a run: the forum's words and a
# published result, each cited where it appears.
QUOTED = {
    "gradient-descent.md": {"95%", "0.21%", "99.79%"},
    "ten-digits.md": {"58%"},
    "apples-pears.md": {"0.75"},  # the chapter's rule for its made-up speeds
}
RUN_LIKE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?\s?%|0\.\d{2,})")
PLACEHOLDER = re.compile(r"\{\{.*?\}\}", re.DOTALL)


def test_every_markdown_page_is_in_the_nav():
    on_disk = {path.relative_to(DOCS).as_posix() for path in DOCS.glob("*.md")}
    assert on_disk == set(MARKDOWN_PAGES)


@pytest.mark.parametrize("page", MARKDOWN_PAGES)
def test_page_opens_with_its_question_and_answers_it(page):
    text = (DOCS / page).read_text()
    first_paragraph = text.split("\n\n")[1]
    assert re.match(r"\*\*(The|Your) question:\*\*", first_paragraph), page
    question, _, answer = first_paragraph.partition("?")
    assert "answer:**" in answer, f"{page}: the first paragraph must also answer"


@pytest.mark.parametrize("page", MARKDOWN_PAGES)
def test_no_number_about_a_run_is_typed_by_hand(page):
    text = PLACEHOLDER.sub("", (DOCS / page).read_text())
    text = re.sub(r"```.*?```", "", text, flags=re.DOTALL)  # code is included, not typed
    text = re.sub(r"<[^>]+>", "", text)  # a widget's attributes (a slider's step) are not prose
    typed = set(RUN_LIKE.findall(text)) - QUOTED.get(page, set())
    assert not typed, f"{page} states {typed} by hand: use a {{{{ number }}}} from the build"


def test_lesson_pages_end_with_try_it_and_link_the_glossary():
    assert len(LESSONS) >= 7
    for page in LESSONS:
        assert "## Try it" in (DOCS / page).read_text(), page
    linked = sum("glossary.md#" in (DOCS / page).read_text() for page in LESSONS)
    assert linked >= 4


def test_every_figure_is_shown_on_a_page():
    shown = set().union(*(promised_figures(page) for page in MARKDOWN_PAGES))
    assert shown == set(FIGURES), f"drawn but on no page: {set(FIGURES) - shown}"


def test_pages_show_the_figures_they_promise(built):
    """Each in both palettes, each a picture of its desktop and its phone layout."""
    for page in MARKDOWN_PAGES:
        found = parse(html_path(built / "site", page))
        sources = {image["src"] for image in found.images}
        for name in promised_figures(page):
            for theme in ("light", "dark"):
                assert any(f"{name}-{theme}.svg" in src for src in sources), (page, name)
                assert any(
                    any(f"{name}-{theme}.svg" in file for file in picture)
                    and any(f"{name}-narrow-{theme}.svg" in file for file in picture)
                    for picture in found.pictures
                ), (page, name, theme)


def test_a_checklist_shows_as_boxes_not_brackets(built):
    """A "- [ ]" list (the ten-digit page's checklist of usual causes) is a task list."""
    checklists = [
        page for page in MARKDOWN_PAGES if "\n- [ ] " in (REPO / "docs" / page).read_text()
    ]
    assert "ten-digits.md" in checklists
    for page in checklists:
        html = html_path(built / "site", page).read_text()
        assert 'class="task-list-item"' in html, page
        boxes = html.count('<label class="task-list-control"><input ')
        named = html.count('<label class="task-list-control"><input aria-label="to check" ')
        assert boxes == named > 0, f"{page}: a task list's box without a name"
        assert "<li>[ ]" not in html and "<li>\n<p>[ ]" not in html, page


def test_lessons_have_notebooks():
    for page in NOTEBOOKS:
        text = (DOCS / page).read_text()
        (notebook,) = re.findall(r"\(notebooks/([\w-]+\.py)\)", text)
        assert (DOCS / "notebooks" / notebook).is_file()


def test_apples_and_pears_numbers_come_from_the_lesson(built):
    text = "".join(parse(html_path(built / "site", "apples-pears.md")).text)
    walk = apples_pears.guessing_walk()
    for guess in walk:
        assert f"{guess.total:g} cents" in text
    receipts = apples_pears.make_receipts(fee=apples_pears.BAG_FEE)
    learned_fee = apples_pears.descend(receipts, learn_fee=True).fees[-1]
    assert f"fee {learned_fee:.3f}" in text
    assert "7.25" in text and "slip" in text  # the forum's slip, said kindly


def test_every_lesson_ends_with_self_check_questions_from_the_build():
    for page in LESSONS:
        text = (DOCS / page).read_text()
        assert "## Check yourself" in text, page
        section = text.split("## Check yourself", 1)[1].split("\n## ", 1)[0]
        questions = re.findall(r'^\?\?\? question "', section, flags=re.MULTILINE)
        assert 2 <= len(questions) <= 4, (page, len(questions))
        assert PLACEHOLDER.search(section), f"{page}: no number from the build in its self-check"


def test_every_pytorch_file_is_shown_and_every_step_has_both_tabs():
    pages = "".join((DOCS / page).read_text() for page in MARKDOWN_PAGES)
    for path in (REPO / "docs_src" / "pytorch").glob("*.py"):
        if path.name != "__init__.py":
            assert f'"docs_src/pytorch/{path.name}:' in pages, f"{path.name} is on no page"
    sections = re.split(r"\n## ", (DOCS / "pytorch.md").read_text())[1:]
    steps = [section for section in sections if not section.startswith("Try it")]
    assert len(steps) >= 8
    for section in steps:
        title = section.splitlines()[0]
        assert '=== "numpy (this site)"' in section, title
        assert '=== "PyTorch (the chapter)"' in section, title


GLOSSARY_TERMS = [
    "SGD", "Mini-batch", "Epoch", "Sigmoid", "ReLU", "Activation", "Activation function",
    "Nonlinearity", "Backpropagation", "Parameter", "Hyperparameter", "Tensor", "Rank",
    "Shape", "Broadcasting", "Metric", "Loss function", "Chance level", "Baseline",
    "Validation set", "Overfitting",
]  # fmt: skip


def test_the_glossary_defines_the_chapters_words_each_linked_to_its_page():
    entries = re.split(r"^## ", (DOCS / "glossary.md").read_text(), flags=re.MULTILINE)[1:]
    by_term = {entry.splitlines()[0].strip(): entry for entry in entries}
    for term in GLOSSARY_TERMS:
        assert term in by_term, f"the glossary has no entry {term!r}"
        body = by_term[term].split("\n", 1)[1]
        assert re.search(r"\]\([\w-]+\.md(#[\w-]+)?\)", body), f"{term}: no link to its page"
        sentences = re.findall(r"[.!?](?:\s|$)", body.split(" See [")[0])
        assert 1 <= len(sentences) <= 2, f"{term}: one or two sentences, found {len(sentences)}"


SHAPE_NOTE = re.compile(r"#\s*\(")
"""A shape note: a comment that opens with a shape, `# (n_images, 784) @ (784,)`."""
SHAPE_NOTE_AFTER_CODE = re.compile(r"  #\s*\((?!\d+\)!)")
"""A shape note after code on its line; Material's code annotation marker `# (1)!`,
which renders as a small button, is not one."""


@pytest.mark.parametrize("page", snippet_pages())
def test_the_code_a_page_includes_fits_its_column(page):
    """The quick form of the site gate on code blocks (tests/test_site_gates.py): every
    line a page includes fits the text column at 1280 px, and every shape note is on a
    line of its own that fits a phone's, where a scrolled-off note would be lost."""
    too_long = []
    for name, lines in snippets(page).items():
        for number, line in enumerate(lines, 1):
            comment = line.lstrip()
            note = SHAPE_NOTE.match(comment) and len(line) > PHONE_CODE_COLUMN
            if len(line) > CODE_COLUMN or note:
                too_long.append(f"{name}, line {number} ({len(line)} characters): {line}")
            elif not comment.startswith("#") and SHAPE_NOTE_AFTER_CODE.search(line):
                too_long.append(f"{name}, line {number}: a shape note after code: {line}")
    limits = f"{CODE_COLUMN} characters, a shape note {PHONE_CODE_COLUMN} on its own line"
    assert not too_long, f"{page}: over {limits}:\n" + "\n".join(too_long)


FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})[^\n]*\n(.*?)^\1\2\s*$", re.M | re.S)
"""A fenced code block written on a page (not included from a file), its lines."""


@pytest.mark.parametrize("page", [p for p in nav_pages() if p.endswith(".md")])
def test_the_code_a_page_writes_fits_its_column(page):
    """A block written on the page (a command to type, an output) fits the column at
    1280 px too: a comment past the 80th character was scrolled out of view."""
    too_long = [
        line.strip()
        for _, _, body in FENCE.findall(read_page(page))
        for line in body.splitlines()
        if len(line.strip()) > CODE_COLUMN
    ]
    assert not too_long, f"{page}: lines over {CODE_COLUMN} characters: {too_long}"
