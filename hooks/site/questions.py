"""The catalogue of questions learners asked (docs_src/learner_questions.yml), rendered as
the Markdown of the page "Questions learners asked", section by section of the chapter
(docs_src/chapter_map.yml), for the page language's group `questions`.

Read by the hook at every build, not by the computation: the catalogue is text, not a
result of the lessons, and an edit to it must show on the next build.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import yaml
from mkdocs.exceptions import PluginError

QUESTIONS = Path("docs_src") / "learner_questions.yml"
CHAPTER_MAP = Path("docs_src") / "chapter_map.yml"
KEYS = ("question", "source", "chapter_section", "answer")
"""What every entry of the catalogue gives."""
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""yaml.safe_load's loader in libyaml's C, where PyYAML has it: the catalogue is read at
every build, and in Python that took half a second of each `mkdocs serve` rebuild."""


def read(root: Path) -> tuple[list[dict], list[dict]]:
    """Return the catalogue's entries and the chapter's sections, read from root's docs_src."""
    return tuple(
        yaml.load((root / path).read_text(encoding="utf-8"), Loader=SAFE_LOADER)
        for path in (QUESTIONS, CHAPTER_MAP)
    )


def catalogue(questions: list[dict], chapter: list[dict]) -> str:
    """Return the Markdown list of the questions under the chapter's headings, in the
    chapter's order; each question links to its answer and cites its thread."""
    headings = [section["heading"] for section in chapter]
    for entry in questions:
        missing = [key for key in KEYS if not entry.get(key)]
        if missing:
            raise PluginError(f"{QUESTIONS}: an entry lacks {missing}: {entry}")
        if entry["chapter_section"] not in headings:
            raise PluginError(
                f"{QUESTIONS}: {entry['chapter_section']!r} is not a heading of "
                f"{CHAPTER_MAP} (question: {entry['question']!r})"
            )
    blocks = []
    for heading in headings:
        asked = [entry for entry in questions if entry["chapter_section"] == heading]
        if asked:
            lines = [f"## {heading}", ""]
            lines += [
                f"- [{' '.join(entry['question'].split())}]({entry['answer']}) "
                f"(asked on [{_place(entry['source'])}]({entry['source']}))"
                for entry in asked
            ]
            blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _place(url: str) -> str:
    """Return where a thread is, as a reader knows it: the site, and on GitHub the
    repository (github.com/fastai/fastbook)."""
    parts = urlsplit(url)
    if parts.hostname == "github.com":
        return "github.com/" + "/".join(parts.path.strip("/").split("/")[:2])
    return parts.hostname


def numbers(root: Path) -> dict:
    """Return the group `questions` of the page language: the catalogue's Markdown and
    how many questions, threads and chapter sections it holds."""
    questions, chapter = read(root)
    return {
        "catalogue": catalogue(questions, chapter),
        "count": len(questions),
        "sources": len({entry["source"] for entry in questions}),
        "sections": len({entry["chapter_section"] for entry in questions}),
    }
