"""Per-file results kept between runs, keyed by file content, so that unchanged files are not parsed again.

On a large dataset ``validate`` followed by ``build`` parses each file once. An entry holds what loading
one file produced: its diagnostics and its derived rows. It is reused only when the file's bytes hash to
the same BLAKE2b digest, the file has the same path, and the cache was written by the same package code
(every module's source), Python and library versions, for the same project folder.

The cache lives in the user's cache folder (``$XDG_CACHE_HOME/vn-la-security`` or
``~/.cache/vn-la-security``), never in the checkout: it is a pickle, and a pickle must not come from a
pull request. ``VN_LA_SECURITY_CACHE`` names another folder, or ``off`` to disable it. A missing,
damaged or foreign cache file is ignored; failing to write one is not an error.
"""
from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import os
import pickle
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic
from .tables import FileRows

CACHE_ENV = "VN_LA_SECURITY_CACHE"
_OFF = {"off", "0", "no", "false", "none"}
_CHUNK = 512   # entries per pickle frame


@dataclass(slots=True)
class Entry:
    """What loading one file produced."""

    digest: bytes                      # BLAKE2b-128 of the file's bytes
    diagnostics: list[Diagnostic]
    rows: FileRows | None              # None when the file did not load

    def __reduce__(self):  # plain constructor call: faster than dataclass state for millions of rows
        return Entry, (self.digest, self.diagnostics, self.rows)


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def cache_folder() -> Path | None:
    value = os.environ.get(CACHE_ENV, "").strip()
    if value.lower() in _OFF:
        return None
    if value:
        return Path(value)
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = Path.home() / ".cache"
        except (RuntimeError, KeyError):  # no home folder (some containers): no cache
            return None
    return Path(base) / "vn-la-security"


def _fingerprint(root: Path) -> bytes:
    h = hashlib.sha256()
    h.update(str(root).encode())
    h.update(sys.version.encode())
    for dist in ("pydantic", "pydantic-core", "PyYAML"):
        try:
            h.update(f"{dist}={importlib.metadata.version(dist)}".encode())
        except importlib.metadata.PackageNotFoundError:
            h.update(dist.encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.digest()


class ResultCache:
    """The cache file for one project folder."""

    def __init__(self, root: Path, folder: Path):
        self.fingerprint = _fingerprint(root)
        self.path = folder / f"results-{hashlib.sha256(str(root).encode()).hexdigest()[:16]}.pickle"

    def read(self) -> dict[str, Entry]:
        """Entries by displayed path; empty when there is no usable cache."""
        try:
            with open(self.path, "rb") as fh:
                reader = pickle.Unpickler(fh)   # one unpickler: its memo restores texts shared across chunks
                if reader.load() != self.fingerprint:
                    return {}
                entries: dict[str, Entry] = {}
                for _ in range(reader.load()):
                    entries.update(reader.load())
                return entries
        except Exception:  # noqa: BLE001 - missing, damaged, truncated or foreign: ignore it
            return {}

    def write(self, entries: dict[str, Entry]) -> None:
        """Replace the cache file atomically; best effort (a read-only home is not an error)."""
        items = list(entries.items())
        chunks = [dict(items[i:i + _CHUNK]) for i in range(0, len(items), _CHUNK)]
        tmp = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".results-", dir=self.path.parent)
            with os.fdopen(fd, "wb") as fh:
                # one pickler: its memo writes each shared text (IDs, labels, quotes) once for the whole file,
                # and reading it back shares them again, as ``Dataset.add_file`` left them
                writer = pickle.Pickler(fh, protocol=pickle.HIGHEST_PROTOCOL)
                writer.dump(self.fingerprint)
                writer.dump(len(chunks))
                for chunk in chunks:
                    writer.dump(chunk)
            os.replace(tmp, self.path)
            tmp = None
        except OSError:
            pass
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)


def open_cache(root: Path, enabled: bool) -> ResultCache | None:
    folder = cache_folder() if enabled else None
    return ResultCache(root, folder) if folder is not None else None
