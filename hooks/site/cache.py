"""The hook's own cache files under `.cache/`: keyed by their inputs, written whole."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def key(*inputs: bytes) -> str:
    """Return the cache key of these inputs: 16 hex digits of their SHA-256."""
    return hashlib.sha256(b"\0".join(inputs)).hexdigest()[:16]


def write_atomically(path: Path, content: bytes) -> None:
    """Write content to path whole or not at all: a crash leaves no truncated file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(content)
    os.replace(temporary, path)
