"""The files the site's build computes, made once and kept under one key.

Every figure (both layouts, both palettes), `numbers.json`, each widget's JSON and `weights.npz` go
into one folder of the cache, `CACHE/<key>/`, whose key covers every input: the
source of every module of `lessons_code`, the data's files as they are on disk, and
the versions of Python, numpy and matplotlib. Change any of them and the key changes,
so nothing computed from older code or other data can be shown.

`python -m lessons_code.website CACHE` finds or makes that folder and prints it. The
build hook runs it in a fresh process for every build, so the code that computes the
site is always the code on disk, even under `mkdocs serve`, which keeps its own
imports for as long as it runs.
"""

from __future__ import annotations

import hashlib
import io
import json
import multiprocessing
import os
import platform
import re
import shutil
import sys
from concurrent.futures import ProcessPoolExecutor
from importlib.metadata import version
from pathlib import Path

import lessons_code

PACKAGE = Path(lessons_code.__file__).parent
THEMES = ("light", "dark")
SVG_METADATA = {"Date": None, "Creator": "lessons_code"}
KEEP_ENTRIES = 6
"""How many cache folders to keep: the newest, so switching data or a branch back is fast."""

MANIFEST = "manifest.json"


def _digest(*parts: str | bytes) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part if isinstance(part, bytes) else part.encode())
        hasher.update(b"\0")
    return hasher.hexdigest()


def data_digest(data_dir: str | os.PathLike | None = None) -> str:
    """Return a checksum of the data the build reads: its files' names and bytes.

    The files are hashed as they are on disk, without decoding them, so a build whose
    results are all cached reads no image. Where the folder is does not count: the pages
    never say it.
    """
    from lessons_code import data

    folder, _ = data.locate(data_dir)  # a missing folder fails later, when it is loaded
    parts: list[str | bytes] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        parts += [path.relative_to(folder).as_posix(), path.read_bytes()]
    return _digest(*parts)


def cache_key(data_dir: str | os.PathLike | None = None) -> str:
    """Return the key of everything the build computes: code, data and library versions."""
    parts: list[str | bytes] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts += [path.relative_to(PACKAGE).as_posix(), path.read_bytes()]
    parts.append(data_digest(data_dir))
    parts += [platform.python_version(), version("numpy"), version("matplotlib")]
    return _digest(*parts)


def _write(path: Path, content: bytes) -> str:
    """Write content to path and return its checksum."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return _digest(content)


def _svg_size(svg: bytes) -> list[int]:
    """Return an SVG's width and height in CSS pixels (matplotlib writes points)."""
    found = re.search(rb'<svg[^>]*?width="([\d.]+)pt"[^>]*?height="([\d.]+)pt"', svg)
    return [round(float(found.group(1)) * 4 / 3), round(float(found.group(2)) * 4 / 3)]


LONG_DECIMAL = re.compile(rb"(?<![\w.])([1-9]\d*\.\d\d)\d+")
"""A number of at least 1 with more than two decimals, as matplotlib writes coordinates
(in points, or a glyph's 100 units to the em): the rest is under a hundredth of a pixel.
Numbers under 1, such as a glyph's scale, keep every digit."""


def render_svg(name: str, theme: str, runs, layout: str = "wide") -> tuple[bytes, str]:
    """Return (svg bytes, alt text) of one registered figure in one palette and layout."""
    import matplotlib
    from matplotlib.figure import Figure

    from lessons_code.website.registry import FIGURES
    from lessons_code.website.style import laid_out, themed

    with matplotlib.rc_context(themed(theme)), laid_out(layout):
        figure = FIGURES[name].figure(runs)
        if not isinstance(figure, Figure):
            raise TypeError(f"figure {name!r}: expected a matplotlib Figure, got {figure!r}")
        buffer = io.BytesIO()
        figure.savefig(buffer, format="svg", metadata=SVG_METADATA)
    alt = figure.get_label()
    if not alt.strip():
        raise ValueError(f"figure {name!r} has no alt text: set it with fig.set_label(...)")
    svg = LONG_DECIMAL.sub(rb"\1", buffer.getvalue())  # the same picture, lighter
    return stable_ids(svg), alt


HASHED_ID = re.compile(rb"\b([hmp])[0-9a-f]{10}\b")
"""An id matplotlib makes by hashing what it names (a clip rectangle, a marker, a hatch),
full precision included: a difference far under a pixel in a layout made other ids."""


def stable_ids(svg: bytes) -> bytes:
    """Return the SVG with each hashed id renamed by the order it first appears in: the
    same picture names its parts the same, whatever last digits the floats had."""
    names: dict[bytes, bytes] = {}

    def rename(found: re.Match) -> bytes:
        kind = found.group(1)
        return names.setdefault(found.group(0), kind + b"%d" % len(names))

    return HASHED_ID.sub(rename, svg)


def figure_file(name: str, layout: str, theme: str) -> str:
    """Return where a figure's file is on the site: the wide layout's has no layout name."""
    return f"figures/{name}{'' if layout == 'wide' else f'-{layout}'}-{theme}.svg"


def _record(entry: Path, name: str, drawn: dict[tuple[str, str], tuple[bytes, str]]) -> dict:
    """Write one figure's layouts and palettes into the entry; return its manifest record:
    its alt text (one for all, or this fails), and each layout's size, files and checksums."""
    from lessons_code.website.style import MEDIA

    alts = {alt for _, alt in drawn.values()}
    if len(alts) != 1:
        raise ValueError(f"figure {name!r}: its layouts or palettes have different alt texts")
    record = {"alt": alts.pop(), "layouts": {}}
    for (layout, theme), (svg, _) in drawn.items():
        file = figure_file(name, layout, theme)
        made = record["layouts"].setdefault(layout, {"files": {}, "sha256": {}})
        made["files"][theme] = file
        made["sha256"][theme] = _write(entry / file, svg)
        made["size"] = _svg_size(svg)
        if layout in MEDIA:
            made["media"] = MEDIA[layout]
    return record


_runs_to_draw = None  # the runs a forked drawing process inherits from its parent


def _draw_inherited(name: str, theme: str, layout: str) -> tuple[bytes, str]:
    from lessons_code import learner

    # A forked process starts with the BLAS library's own thread count: pin it again.
    with learner.blas_threads():
        return render_svg(name, theme, _runs_to_draw, layout)


def _draw_all(names: list[str], runs) -> dict[str, dict[tuple[str, str], tuple[bytes, str]]]:
    """Return {name: {(layout, theme): (svg, alt)}}: two processes draw, where the system
    can fork them with the runs already in memory (Linux); one draws, elsewhere."""
    from lessons_code.website.style import LAYOUTS

    global _runs_to_draw
    jobs = [(name, theme, layout) for name in names for layout in LAYOUTS for theme in THEMES]
    if len(jobs) > 2 and sys.platform == "linux":
        _runs_to_draw = runs
        fork = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=2, mp_context=fork) as pool:
            drawn = list(pool.map(_draw_inherited, *zip(*jobs, strict=True)))
    else:
        drawn = [render_svg(name, theme, runs, layout) for name, theme, layout in jobs]
    figures: dict[str, dict[tuple[str, str], tuple[bytes, str]]] = {name: {} for name in names}
    for (name, theme, layout), svg_and_alt in zip(jobs, drawn, strict=True):
        figures[name][layout, theme] = svg_and_alt
    return figures


def _data_files(runs) -> dict[str, bytes]:
    """Return every computed file under data/: the numbers, each widget's JSON, the weights."""
    from lessons_code.website.registry import FILES, WIDGETS, numbers
    from lessons_code.weights_file import npz_bytes

    files = {"numbers.json": json.dumps(numbers(runs), indent=1, sort_keys=True).encode()}
    for widget in WIDGETS.values():
        files[widget.data] = json.dumps(widget.make(runs), sort_keys=True).encode()
    linear = runs.linear.params
    files["weights.npz"] = npz_bytes(linear["weights"], float(linear["bias"]))
    for name, make in FILES.items():
        files[name] = make(runs)
    return files


def _intact(entry: Path, files: dict[str, str]) -> bool:
    """Return whether every file exists and matches its checksum."""
    try:
        return all(_digest((entry / f).read_bytes()) == sha for f, sha in files.items())
    except OSError:
        return False


def _figure_files(record: dict) -> dict[str, str]:
    """Return a figure's files (every layout it lists, both palettes) with their checksums.

    The layouts are the record's own: reading style's list would import matplotlib on
    every build, the cached ones included (a second under `mkdocs serve`). A record is
    written by the code its entry is keyed on, so it lists that code's layouts."""
    return {
        layout["files"][theme]: layout["sha256"][theme]
        for layout in record["layouts"].values()
        for theme in THEMES
    }


def _listed_files(manifest: dict) -> dict[str, str]:
    """Return every file a manifest lists, with its checksum."""
    files = {f"data/{name}": sha for name, sha in manifest["data"].items()}
    for record in manifest["figures"].values():
        files.update(_figure_files(record))
    return files


def _make(entry: Path, manifest: dict, log) -> dict:
    """Compute what the entry lacks or holds broken; return the completed manifest."""
    from lessons_code.website.registry import FIGURES, WIDGETS
    from lessons_code.website.runs import Runs

    runs = Runs()
    if not manifest["figures"]:
        runs.compute_all()  # a new entry needs every run: train them two at a time
    drawn = []
    for name in FIGURES:
        record = manifest["figures"].get(name)
        if record is not None:
            if _intact(entry, _figure_files(record)):
                continue
            log(f"figure {name}: cached file failed its checksum, drawing it again")
        drawn.append(name)
    for name, palettes in _draw_all(drawn, runs).items():
        manifest["figures"][name] = _record(entry, name, palettes)
    log(f"figures drawn this build: {', '.join(drawn) or 'none (all cached)'}")
    data = {f"data/{name}": sha for name, sha in manifest["data"].items()}
    if not data or not _intact(entry, data):
        manifest["data"] = {
            name: _write(entry / "data" / name, content)
            for name, content in _data_files(runs).items()
        }
    manifest["widgets"] = {name: widget.data for name, widget in WIDGETS.items()}
    return manifest


def _read_manifest(entry: Path) -> dict | None:
    """Return the entry's manifest, or None when it is missing or unreadable."""
    try:
        manifest = json.loads((entry / MANIFEST).read_text())
        _listed_files(manifest)
        return manifest
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def site_files(cache_root: Path, log=print, key: str | None = None) -> Path:
    """Return the cache folder holding every computed file of the site, making it if needed.

    Its manifest.json lists each figure's alt text and each layout's files and size, each
    data file, the JSON file of each widget, and the key. A manifest is written only once everything
    it lists is made, so an intact one is complete: then nothing is imported but this.
    """
    key = key or cache_key()
    entry = cache_root / key[:16]
    manifest = _read_manifest(entry)
    if manifest is not None and _intact(entry, _listed_files(manifest)):
        log("figures drawn this build: none (all cached)")
    else:
        manifest = _make(entry, manifest or {"key": key, "figures": {}, "data": {}}, log)
        _write(entry / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode())
    os.utime(entry)  # the newest entries are the ones kept
    _prune(cache_root)
    return entry


def _prune(cache_root: Path) -> None:
    """Delete all but the KEEP_ENTRIES most recently used cache folders."""
    entries = sorted(
        (p for p in cache_root.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime
    )
    for old in entries[:-KEEP_ENTRIES]:
        shutil.rmtree(old, ignore_errors=True)


def main(argv: list[str]) -> int:
    """`python -m lessons_code.website CACHE`: print the folder of the site's computed files."""
    if len(argv) != 1:
        print("usage: python -m lessons_code.website CACHE_FOLDER", file=sys.stderr)
        return 2
    from lessons_code import data, learner

    key = cache_key()
    print(json.dumps({"key": key}), flush=True)  # first: the build starts its notebooks on it
    # Every figure and number with one BLAS thread, as training (learner.BLAS_THREADS): a
    # figure's own `x @ w1` summed in another order on two threads drew other bytes.
    with learner.blas_threads():
        entry = site_files(
            Path(argv[0]).resolve(), log=lambda line: print(line, file=sys.stderr), key=key
        )
    folder, _ = data.locate()
    print(json.dumps({"entry": str(entry), "data_folder": str(folder)}))
    return 0
