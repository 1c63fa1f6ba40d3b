"""The catalogue of questions learners asked (docs_src/learner_questions.yml) and the map
of the chapter's sections (docs_src/chapter_map.yml): every entry complete and from a
thread of its own, every section a heading of the chapter with a home on the site, every
answer an anchor of the built site, and the page "Questions learners asked" listing them
all with their answers and threads."""

from __future__ import annotations

import re
from collections import Counter
from html import unescape
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from hooks.site.questions import KEYS, catalogue, read
from tests.support import chapter_cells

REPO = Path(__file__).resolve().parents[1]
QUESTIONS, CHAPTER = read(REPO)
HEADINGS = [section["heading"] for section in CHAPTER]


def test_every_entry_gives_a_question_a_thread_a_section_and_an_answer():
    assert isinstance(QUESTIONS, list) and QUESTIONS
    for entry in QUESTIONS:
        assert set(entry) == set(KEYS), entry
        assert all(isinstance(entry[key], str) and entry[key].strip() for key in KEYS), entry
        assert entry["source"].startswith("https://"), entry
        # An anchor of the lab is an experiment: lab.md#model=net&init=init_params&std=0.
        assert re.fullmatch(r"[\w-]+\.md(#[\w.=&-]+)?", entry["answer"]), entry


def test_no_two_questions_come_from_the_same_thread():
    sources = [entry["source"] for entry in QUESTIONS]
    repeated = sorted({source for source in sources if sources.count(source) > 1})
    assert not repeated


def test_every_question_belongs_to_a_heading_of_the_chapter():
    unknown = [e["chapter_section"] for e in QUESTIONS if e["chapter_section"] not in HEADINGS]
    assert not unknown


def test_the_chapter_map_lists_each_heading_once_with_at_least_one_home():
    assert len(HEADINGS) == len(set(HEADINGS))
    assert HEADINGS[0] == "Under the Hood: Training a Digit Classifier"  # the chapter's title
    for section in CHAPTER:
        assert section["level"] in (1, 2, 3, 4), section
        assert section["homes"], f"{section['heading']!r} has no home on the site"


NOT_TEACHING = {
    "Under the Hood: Training a Digit Classifier": "the chapter's title, over its sections",
    "Sidebar: Tenacity and Deep Learning": "a story of the field's history, no technique",
}
"""The chapter's headings that teach nothing of their own, with why."""


def test_every_section_that_teaches_has_at_least_three_questions():
    assert set(NOT_TEACHING) <= set(HEADINGS)
    asked = Counter(entry["chapter_section"] for entry in QUESTIONS)
    short = {h for h in HEADINGS if h not in NOT_TEACHING and asked[h] < 3}
    assert not short, {h: asked[h] for h in short}


def _ids(site: Path, page: str) -> set[str] | None:
    """Return the ids of the built page for page.md, or None if there is no such page."""
    html = site / ("index.html" if page == "index.md" else f"{page[:-3]}/index.html")
    if not html.is_file():
        return None
    return {unescape(id_) for id_ in re.findall(r'\sid="([^"]+)"', html.read_text())}


@pytest.mark.parametrize(
    "kind",
    ["answer", "home", "cell"],
    ids=["every answer", "every home of a chapter section", "every page of a code cell"],
)
def test_every_anchor_exists_in_the_built_site(built, kind):
    anchors = {
        "answer": [entry["answer"] for entry in QUESTIONS],
        "home": [home for section in CHAPTER for home in section["homes"]],
        "cell": [entry["page"] for entry in chapter_cells() if entry["shown"]],
    }[kind]
    missing = []
    for anchor in anchors:
        page, _, fragment = anchor.partition("#")
        ids = _ids(built / "site", page)
        if ids is None or (fragment and fragment not in ids):
            missing.append(anchor)
    assert not missing


def test_the_questions_page_links_each_question_to_its_answer_and_its_thread(built):
    page = unescape((built / "site" / "questions" / "index.html").read_text())
    hrefs = set(re.findall(r'href="([^"]+)"', page))
    for entry in QUESTIONS:
        assert entry["source"] in hrefs, entry["source"]
        target, _, fragment = entry["answer"].partition("#")
        link = f"../{target[:-3]}/" + (f"#{fragment}" if fragment else "")
        assert link in hrefs, (entry["answer"], link)
    assert f"{len(QUESTIONS)} of their questions" in page


def _entry(question: str, source: str, section: str, answer: str) -> dict:
    return {"question": question, "source": source, "chapter_section": section, "answer": answer}


def test_the_catalogue_follows_the_chapters_order():
    chapter = [{"heading": "First"}, {"heading": "Second"}]
    questions = [
        _entry("b?", "https://a.org/2", "Second", "b.md"),
        _entry("a?", "https://a.org/1", "First", "a.md"),
    ]
    markdown = catalogue(questions, chapter)
    assert markdown.index("## First") < markdown.index("- [a?](a.md)") < markdown.index("## Second")
    assert "(asked on [a.org](https://a.org/2))" in markdown


def test_a_github_thread_is_cited_by_its_repository():
    entry = _entry("?", "https://github.com/fastai/fastbook/issues/655", "First", "a.md")
    assert "(asked on [github.com/fastai/fastbook](" in catalogue([entry], [{"heading": "First"}])


def test_a_question_outside_the_chapters_headings_stops_the_build():
    with pytest.raises(PluginError, match="'Nope' is not a heading"):
        catalogue([_entry("?", "https://a.org", "Nope", "a.md")], [{"heading": "First"}])
