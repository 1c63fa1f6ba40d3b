"""The page "Check yourself": the chapter's 37 questions, each answered in a collapsible
block that links to where the site explains it; the code it shows runs and says what the
page says it does."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import numpy as np
import pytest

from docs_src import questionnaire
from tests.support import REPO, html_path, imports
from tests.support.browser import Watched, axe_violations, page_url

PAGE = REPO / "docs" / "questionnaire.md"
CHAPTER = "https://github.com/fastai/fastbook/blob/master/04_mnist_basics.ipynb"
N_QUESTIONS = 37
CODE_QUESTIONS = {4, 9, 25, 26, 33, 34}
"""The questions that ask for code: a list comprehension, a 3×3 array, an epoch, zip, a
training loop, a plot of ReLU."""

QUESTION = re.compile(r"^## (\d+)\. .*\{ #q(\d+) \}$", re.MULTILINE)
SNIPPET = re.compile(r'--8<-- "([^":]+):([\w-]+)"')


def test_the_list_comprehension_keeps_the_odd_numbers_doubled():
    assert questionnaire.double_the_odd([1, 2, 3, 4, 5]) == [2, 6, 10]
    assert questionnaire.double_the_odd(range(1, 11)) == [2, 6, 10, 14, 18]
    assert questionnaire.double_the_odd([-3, 0, 8]) == [-6]
    assert questionnaire.double_the_odd([]) == []


def test_the_doubled_array_gives_its_bottom_right_four():
    corner = questionnaire.doubled_corner()
    assert corner.tolist() == [[10, 12], [16, 18]]
    assert corner.shape == (2, 2)


def test_zip_pairs_the_numbers_with_the_letters():
    assert questionnaire.pairs([1, 2, 3, 4], "abcd") == [(1, "a"), (2, "b"), (3, "c"), (4, "d")]
    with pytest.raises(ValueError):  # strict: an image without a label is a mistake
        questionnaire.pairs([1, 2], "abc")


def test_the_relu_plot_runs_from_minus_2_to_2_and_is_max_x_0():
    figure = questionnaire.relu_plot()
    (line,) = figure.axes[0].get_lines()
    x, y = line.get_xdata(), line.get_ydata()
    assert x[0] == -2 and x[-1] == 2 and np.all(np.diff(x) > 0)
    assert np.array_equal(y, np.maximum(x, 0))
    assert 0 in x  # the corner is drawn, not cut off between two points


def answers() -> dict[int, str]:
    """Return each question's section of the page source, by its number in the chapter."""
    text = PAGE.read_text()
    found = list(QUESTION.finditer(text))
    sections = {}
    for match, following in zip(found, [*found[1:], None], strict=True):
        end = following.start() if following else text.index("\n## ", match.end())
        sections[int(match.group(1))] = text[match.start() : end]
    return sections


def test_37_questions_numbered_in_order_each_with_one_collapsible_answer():
    text = PAGE.read_text()
    numbers = [(int(a), int(b)) for a, b in QUESTION.findall(text)]
    assert numbers == [(n, n) for n in range(1, N_QUESTIONS + 1)]
    assert len(re.findall(r"^## \d+\.", text, flags=re.MULTILINE)) == N_QUESTIONS
    for number, section in answers().items():
        blocks = re.findall(r'^\?\?\? success "Answer to question (\d+)"$', section, re.MULTILINE)
        assert blocks == [str(number)], f"question {number}: {blocks}"
        question, _, answer = section.partition("??? ")
        assert re.search(r"\]\[ch-[\w-]+\]", question), f"question {number} has no chapter link"
        assert re.search(r"\]\([\w-]+\.md#[\w-]+\)", answer), (
            f"question {number}: the answer links to no section of the site"
        )


def test_every_chapter_link_opens_the_chapter():
    text = PAGE.read_text()
    used = set(re.findall(r"\]\[(ch-[\w-]+|chapter)\]", text))
    defined = dict(re.findall(r"^\[([\w-]+)\]: (\S+)$", text, flags=re.MULTILINE))
    assert used <= set(defined)
    for name in used:
        assert defined[name].split("#")[0] == CHAPTER, name


def modules_the_tests_import() -> set[str]:
    """Return every module a test imports, by its full name."""
    return set().union(*(imports(path) for path in (REPO / "tests").rglob("*.py")))


def test_every_code_answer_is_a_snippet_of_a_tested_file():
    sections = answers()
    for number in CODE_QUESTIONS:
        assert SNIPPET.search(sections[number].partition("??? ")[2]), f"question {number}"
    tested = modules_the_tests_import()
    for path, section in SNIPPET.findall(PAGE.read_text()):
        source = (REPO / path).read_text()
        assert f"# --8<-- [start:{section}]" in source, (path, section)
        module = path.removesuffix(".py").replace("/", ".")
        assert module in tested, f"{path} is shown but no test imports it"


class _Links(HTMLParser):
    """Collects a page's element ids, and the links inside its <article>."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.in_article = False
        self.details: list[str] = []  # the class of every <details>, in order
        self.questions: list[str] = []  # the ids of the questions' headings, in order

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "article":
            self.in_article = True
        if self.in_article and tag == "a" and "href" in attributes:
            self.links.append(attributes["href"])
        if tag == "details":
            self.details.append(attributes.get("class", ""))
        if tag == "h2" and re.fullmatch(r"q\d+", attributes.get("id", "")):
            self.questions.append(attributes["id"])
            self.details.append(attributes["id"])

    def handle_endtag(self, tag):
        if tag == "article":
            self.in_article = False


def read_links(path: Path) -> _Links:
    found = _Links()
    found.feed(path.read_text(encoding="utf-8"))
    return found


def test_the_built_page_has_37_answers_each_folded_under_its_question(built):
    page = read_links(html_path(built / "site", "questionnaire.md"))
    assert page.questions == [f"q{n}" for n in range(1, N_QUESTIONS + 1)]
    expected = [item for n in range(1, N_QUESTIONS + 1) for item in (f"q{n}", "success")]
    assert page.details == expected  # after each question, one folded answer, no more


def test_every_link_of_the_built_page_resolves(built):
    site = built / "site"
    page_file = html_path(site, "questionnaire.md")
    page_url = page_file.parent.relative_to(site).as_posix() + "/"
    links = read_links(page_file).links
    assert len(links) > 2 * N_QUESTIONS
    pages: dict[Path, set[str]] = {}
    for href in links:
        parts = urlsplit(href)
        if parts.scheme:
            assert href.split("#")[0] == CHAPTER, f"an outside link: {href}"
            continue
        target = site / unquote(urlsplit(urljoin(page_url, parts.path)).path)
        if target.is_dir():
            target = target / "index.html"
        assert target.is_file(), f"{href}: no {target.relative_to(site)} in the built site"
        if parts.fragment:
            if target not in pages:
                pages[target] = read_links(target).ids
            assert parts.fragment in pages[target], f"{href}: no such anchor"


@pytest.mark.parametrize(("width", "scheme"), [(375, "light"), (375, "dark")])
def test_every_answer_opened_fits_a_phone_and_is_accessible(site_url, browser, width, scheme):
    """The site's gates see the answers folded; here every one is open."""
    session = Watched(browser, width, scheme)
    try:
        page = session.open(page_url(site_url, "questionnaire.md"))
        opened = page.evaluate(
            "() => { const all = document.querySelectorAll('article details');"
            " all.forEach(d => { d.open = true; }); return all.length; }"
        )
        assert opened == N_QUESTIONS
        page = session.settle()
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{overflow}px wider than a {width}px screen"
        violations = axe_violations(page)
        assert not violations, violations
        assert not session.errors, session.errors[:5]
    finally:
        session.close()
