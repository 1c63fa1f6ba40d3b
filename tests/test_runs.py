"""The site's runs in two threads: SECOND_THREAD names runs of Runs, and the two groups
read nothing of each other, so no run is ever trained by both threads at once."""

from __future__ import annotations

import ast
import inspect
from functools import cached_property

from lessons_code.website import runs
from lessons_code.website.runs import SECOND_THREAD, Runs


def run_names() -> set[str]:
    return {name for name, value in vars(Runs).items() if isinstance(value, cached_property)}


def reads(name: str) -> set[str]:
    """Return the runs (cached properties of Runs) that the run `name` reads from self."""
    tree = ast.parse(inspect.getsource(runs))
    (runs_class,) = [node for node in tree.body if getattr(node, "name", "") == "Runs"]
    (method,) = [node for node in runs_class.body if getattr(node, "name", "") == name]
    attributes = {
        node.attr
        for node in ast.walk(method)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
    }
    return attributes & run_names()


def test_the_second_thread_trains_runs_that_exist():
    assert SECOND_THREAD, "no run for the second thread"
    assert len(set(SECOND_THREAD)) == len(SECOND_THREAD)
    assert set(SECOND_THREAD) <= run_names(), set(SECOND_THREAD) - run_names()
    assert set(SECOND_THREAD) != run_names(), "the main thread has nothing left to train"


def test_the_second_thread_reads_no_run_of_the_main_thread():
    for name in SECOND_THREAD:
        main_thread = reads(name) - set(SECOND_THREAD)
        assert not main_thread, f"{name} (second thread) reads {main_thread} (main thread)"


def test_the_main_thread_reads_no_run_of_the_second_thread():
    for name in run_names() - set(SECOND_THREAD):
        second = reads(name) & set(SECOND_THREAD)
        assert not second, f"{name} (main thread) reads {second} (second thread)"


def test_the_check_sees_what_a_run_reads():
    """The AST walk finds real reads: the test above could not pass by seeing nothing."""
    assert reads("ten_learning_rates") == {"ten_linear", "ten_digits"}
    assert reads("variants") == {"linear", "learning_rates", "mnist"}
