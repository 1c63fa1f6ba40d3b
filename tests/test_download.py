"""`lessons download`, end to end against an HTTP server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import hashlib
import http.server
import io
import threading
from pathlib import Path

import pytest

from lessons_code import data

GOOD = {"a-images.gz": b"first file " * 500, "b-labels.gz": b"second file " * 300}
CHECKSUMS = {name: hashlib.md5(content).hexdigest() for name, content in GOOD.items()}


class Mirror(http.server.BaseHTTPRequestHandler):
    """/good/ serves the right bytes, /corrupt/ wrong ones, /drop/ closes halfway."""

    def do_GET(self):
        folder, _, name = self.path.strip("/").partition("/")
        content = GOOD.get(name)
        if content is None or folder not in {"good", "corrupt", "drop"}:
            self.send_error(404)
            return
        if folder == "corrupt":
            content = content.replace(b"file", b"fi1e")
        self.send_response(200)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        if folder == "drop":
            self.wfile.write(content[: len(content) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(content)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Mirror)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


def fetch(dest: Path, *mirrors: str, progress=None):
    return data.download(dest, mirrors=mirrors, checksums=CHECKSUMS, timeout=5, progress=progress)


def test_download_verifies_and_places_files(server, tmp_path):
    stream = io.StringIO()
    paths = fetch(tmp_path, f"{server}/good/", progress=data.progress_bar(stream))
    assert [p.read_bytes() for p in paths] == list(GOOD.values())
    assert "100%" in stream.getvalue()  # the progress bar reached the end
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(GOOD)


def test_files_already_there_are_not_fetched_again(server, tmp_path):
    fetch(tmp_path, f"{server}/good/")
    stream = io.StringIO()
    fetch(tmp_path, f"{server}/good/", progress=data.progress_bar(stream))
    assert stream.getvalue() == ""


def test_next_mirror_is_tried_when_one_fails(server, tmp_path):
    paths = fetch(tmp_path, f"{server}/missing/", f"{server}/corrupt/", f"{server}/good/")
    assert [p.read_bytes() for p in paths] == list(GOOD.values())


def test_wrong_checksum_leaves_nothing_behind(server, tmp_path):
    with pytest.raises(data.ChecksumError, match="md5 .*, expected .*nothing was saved"):
        fetch(tmp_path, f"{server}/corrupt/")
    assert list(tmp_path.iterdir()) == []


def test_an_interrupted_download_leaves_nothing_behind(server, tmp_path):
    def press_ctrl_c(name, done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        fetch(tmp_path, f"{server}/good/", progress=press_ctrl_c)
    assert list(tmp_path.iterdir()) == []


def test_dropped_connection_leaves_nothing_behind(server, tmp_path):
    with pytest.raises(data.DataError, match="a-images.gz"):
        fetch(tmp_path, f"{server}/drop/")
    assert list(tmp_path.iterdir()) == []


def test_no_network_says_what_to_do_instead(tmp_path):
    with pytest.raises(data.NoNetworkError, match="bundled sample.*--data-dir"):
        fetch(tmp_path, "http://127.0.0.1:1/")
    assert list(tmp_path.iterdir()) == []


def test_a_cache_folder_that_cannot_be_written(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(data.CacheNotWritableError, match="cannot write"):
        fetch(blocker / "mnist", "http://127.0.0.1:1/")


@pytest.mark.parametrize("name", ["n" * 5000, "nul\x00"])
def test_a_cache_folder_name_the_system_refuses(tmp_path, name):
    """Found by tests/test_bad_arguments.py: `download --dest` with a NUL in it (possible
    from Python, not from a shell) raised ValueError."""
    with pytest.raises(data.CacheNotWritableError, match="cannot write"):
        fetch(tmp_path / name, "http://127.0.0.1:1/")


def test_mirrors_can_be_overridden_by_the_environment(server, tmp_path, monkeypatch):
    monkeypatch.setenv("LESSONS_MIRRORS", f"{server}/missing/,{server}/good/")
    paths = data.download(tmp_path, checksums=CHECKSUMS)
    assert paths[0].read_bytes() == GOOD["a-images.gz"]


def test_the_cli_reports_no_network_in_one_line(tmp_path):
    from tests.support import run_cli

    result = run_cli(
        "download", "--dest", str(tmp_path), env={"LESSONS_MIRRORS": "http://127.0.0.1:1/"}
    )
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "bundled sample" in result.stderr
    assert list(tmp_path.iterdir()) == []
