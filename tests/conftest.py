"""Shared fixtures: small synthetic digits for fast tests, real MNIST when it is at hand,
the site built once for the session, and a browser; and hypothesis's two profiles."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from filelock import FileLock
from hypothesis import settings

from lessons_code.data import MnistData, load_digits, load_threes_sevens
from tests.support import BUILD_SECONDS, NO_REAL_MNIST, build_site, copy_project, real_mnist
from tests.support.browser import Watched, launch, serve

PROFILE_EXAMPLES = {"default": 25, "thorough": 2000}
"""Examples per property test (tests/support/bad_input.py scales them by each test's cost):
a few in every run of the suite, thousands with `--hypothesis-profile=thorough`."""

for _name, _examples in PROFILE_EXAMPLES.items():
    # No example database: a run never leaves files behind, and a failure is reported with
    # the example and a `@reproduce_failure` blob to replay it. The default profile is
    # derandomized, so the suite tries the same examples on every machine; the thorough
    # one draws new ones on every run.
    settings.register_profile(
        _name,
        max_examples=_examples,
        deadline=None,
        database=None,
        derandomize=_name == "default",
        print_blob=True,
    )


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    """Run the tests in one process per core, each test file kept on one (pytest-xdist),
    unless told otherwise (`-n 0` or `-p no:xdist`: one process, easier to debug). Set
    here rather than in pyproject.toml's addopts, which `-p no:xdist` would refuse."""
    option = config.option
    if not config.pluginmanager.hasplugin("xdist") or hasattr(config, "workerinput"):
        return
    if option.numprocesses is None:
        option.numprocesses = "auto"
    if option.dist == "no" and option.numprocesses != 0:
        option.dist = "loadfile"


SITE_FIXTURES = {"built", "site_url"}
"""The fixtures of the session's built site: the first test to ask builds it, and every
other waits for it (on a busy machine, minutes), so they get a longer time limit."""


SLOW_FIXTURES = {
    "browser": "drives Chromium",
    "real_mnist_folder": "reads real MNIST",
}
SLOW_FILES = {
    "test_build_failures.py": "builds the site again, broken in one place",
    "test_serve_kernels.py": "serves the site and rebuilds it",
    "test_source_links.py": "builds the site again with a repository named",
    "test_threads.py": "trains the site's runs twice, with one BLAS thread and with two",
    "test_outside.py": "makes a fresh environment and runs every notebook in it",
    "test_contributing.py": "builds the site again with CONTRIBUTING's new lesson",
}
SLOW_TESTS = {
    "test_a_lesson_edit_shows_in_a_rebuild_in_the_same_process_and_in_a_new_build": "builds twice",
    "test_unchanged_rebuild_draws_nothing": "builds the site again",
    "test_numbers_on_pages_equal_what_lessons_code_computes": "computes every number again",
    "test_the_signal_tests_pass_in_a_background_job": "runs pytest again, in a shell",
    "test_the_tables_do_not_depend_on_what_was_imported_first": "imports the site anew, often",
    "test_a_learner_driven_by_autograd_repeats_the_hand_derived_run": "trains twice, by autograd",
    "test_save_writes_the_model_and_predict_scores_with_it": "trains with every command",
    "test_rows_are_the_same_streamed_or_summarised": "trains twice with every command",
}
"""The slow tests, and why: `python -m pytest` leaves them out (it stays near a minute and
a half on two cores), `python -m pytest -m slow` runs them, and .ci/run runs both. A test is
slow when it asks for one of SLOW_FIXTURES, lives in one of SLOW_FILES or is named in
SLOW_TESTS."""


def slow_because(item: pytest.Item) -> str | None:
    """Return why a test is slow, or None for a test of the default run."""
    for fixture, why in SLOW_FIXTURES.items():
        if fixture in item.fixturenames:
            return why
    return SLOW_FILES.get(item.path.name) or SLOW_TESTS.get(item.originalname)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the slow tests; give the tests that need the site built the time a build may
    take, beside theirs."""
    for item in items:
        if slow_because(item):
            item.add_marker(pytest.mark.slow)
        if SITE_FIXTURES & set(item.fixturenames) and not item.get_closest_marker("timeout"):
            item.add_marker(pytest.mark.timeout(BUILD_SECONDS + 300))


def synthetic_digits(n_images: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Return fake 28×28 "3s" (ink on the left half) and "7s" (ink on the top rows)."""
    labels = (np.arange(n_images) % 2).astype(np.float32)  # 1 = "3", 0 = "7"
    images = np.zeros((n_images, 28, 28), dtype=np.float32)  # blank, like MNIST's background
    images[labels == 1, 8:20, 8:12] = 1.0
    images[labels == 0, 6:10, 8:20] = 1.0
    images += rng.uniform(0, 1, images.shape) * (rng.uniform(size=images.shape) < 0.05)
    return np.clip(images, 0, 1).reshape(n_images, 784), labels


def synthetic_ten_digits(n_images: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Return fake digits 0 to 9: each digit a 6×5 block of ink in a place of its own."""
    labels = np.arange(n_images) % 10
    images = np.zeros((n_images, 28, 28), dtype=np.float32)
    for digit in range(10):
        top, left = 2 + 8 * (digit // 4), 2 + 6 * (digit % 4)
        images[labels == digit, top : top + 6, left : left + 5] = 1.0
    images += rng.uniform(0, 1, images.shape) * (rng.uniform(size=images.shape) < 0.05)
    return np.clip(images, 0, 1).reshape(n_images, 784), labels


@pytest.fixture(scope="session")
def tiny_digits() -> MnistData:
    """Return 300 training and 100 validation synthetic images of all ten digits; one
    validation image in 20 is labelled as the next digit, so every model makes mistakes."""
    rng = np.random.default_rng(0)
    train_x, train_y = synthetic_ten_digits(300, rng)
    valid_x, valid_y = synthetic_ten_digits(100, rng)
    valid_y[::20] = (valid_y[::20] + 1) % 10
    return MnistData(train_x, train_y, valid_x, valid_y, source="synthetic ten digits")


@pytest.fixture(scope="session")
def tiny_data() -> MnistData:
    """Return 200 training and 100 validation synthetic images."""
    rng = np.random.default_rng(0)
    train_x, train_y = synthetic_digits(200, rng)
    valid_x, valid_y = synthetic_digits(100, rng)
    return MnistData(train_x, train_y, valid_x, valid_y, source="synthetic test digits")


@pytest.fixture(scope="session")
def real_mnist_folder() -> Path:
    """Return the real MNIST folder ($LESSONS_DATA, then ../shared/data/mnist), or skip."""
    folder = real_mnist()
    if folder is None:
        pytest.skip(NO_REAL_MNIST)
    return folder


@pytest.fixture(scope="session")
def real_data(real_mnist_folder) -> MnistData:
    """Return the 3s and 7s of the real MNIST files, or skip."""
    return load_threes_sevens(real_mnist_folder)


@pytest.fixture(scope="session")
def real_digits(real_mnist_folder) -> MnistData:
    """Return all ten digits of the real MNIST files, or skip."""
    return load_digits(real_mnist_folder)


@pytest.fixture(scope="session")
def built(tmp_path_factory, worker_id) -> Path:
    """Return a copy of the project, built strictly on the bundled sample: once per run,
    by the first pytest-xdist worker that needs it, while the others wait for it."""
    if worker_id == "master":  # one process (-n 0 or -p no:xdist): nothing to share
        return _build_once(tmp_path_factory.mktemp("project"))
    shared = tmp_path_factory.getbasetemp().parent  # the same folder for every worker
    with FileLock(shared / "built.lock"):
        if (shared / "built" / "build.log").is_file():
            return shared / "built"
        if (shared / "built").exists():
            pytest.fail("another worker's build of the site failed: see its error above")
        return _build_once(shared / "built")


def _build_once(project: Path) -> Path:
    project.mkdir(exist_ok=True)
    copy_project(project)
    result = build_site(project)
    assert result.returncode == 0, result.stderr[-4000:]
    project.joinpath("build.log").write_text(result.stderr)  # last: the build is complete
    return project


@pytest.fixture(scope="session")
def browser():
    """Return Debian's Chromium under Playwright, one per session (tests/support/browser.py)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = launch(playwright)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def site_url(built):
    """Return the URL of the session's site, served on 127.0.0.1 for the module's tests."""
    with serve(built / "site") as url:
        yield url


@pytest.fixture
def watched(browser):
    """Return a fresh browser page that records console errors and requests."""
    session = Watched(browser)
    yield session
    session.close()
