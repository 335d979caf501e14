"""Quote fingerprints: every quote checked in every build, without the source text in the project (issue 15).

A fingerprint is the sorted set of hashed overlapping n-grams of the text a curator checked the quotes against,
kept in ``data/fingerprints/<source_id>.txt`` (one 8-hex-digit hash a line, so diffs stay readable). A quote is
*covered* when every n-gram of the quote is in its source's fingerprint. What that proves and what it does not:
docs/provenance.md.

Tokens: the text is NFC-normalised and case-folded; punctuation and white space only separate tokens.
* ``words 3 5`` (languages written with spaces): a token is a maximal run of letters, marks and digits; the
  fingerprint holds every 3-word and every 5-word window. A quote of 5 words or more is checked by its 5-word
  windows (a quote spliced from two places of the text that share a phrase of up to 3 words is caught), a
  quote of 3 or 4 words by its 3-word windows.
* ``chars 6 12`` (Lao, Thai, Chinese, Japanese, Khmer, Burmese, by the source's language): a token is one
  letter, mark or digit; windows of 6 and 12 characters, used the same way.
Each window is hashed as SHA-256 of its tokens joined by U+001F, truncated to 32 bits.

``REQUIRE``: "a source with neither an archived text nor a fingerprint is an error" (E916). On since every
source of the release was fingerprinted; the tests of small fixture datasets switch it off (tests/conftest.py).
"""
from __future__ import annotations

import hashlib
import os
import re
import stat
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic
from .models import TABLES
from .derive import Dataset
from .loading import load_record

REQUIRE = True   # a source with neither a fingerprint nor an archived text is an error (E916)

FOLDER = "data/fingerprints"
MAGIC = "vn-la-security fingerprint 1"
HASH_BITS = 32
MAX_BYTES = 1 << 20              # 1 MiB: about 110,000 n-grams, a long book chapter
MODES = {"words": (3, 5), "chars": (6, 12)}     # window sizes, short then long
SPACELESS_LANGUAGES = {"lo", "th", "zh", "ja", "km", "my"}



class FingerprintError(Exception):
    def __init__(self, message: str, line: int = 1):
        super().__init__(message)
        self.line = line


# --------------------------------------------------------------------------- making
def mode_for(language: str) -> str:
    return "chars" if language.split("-")[0].lower() in SPACELESS_LANGUAGES else "words"


class _Separators(dict):
    """``str.translate`` table: every character that is not a letter, mark or digit becomes a space (filled
    in as characters are first seen, so each is classified once)."""

    def __missing__(self, code: int) -> int:
        self[code] = code if unicodedata.category(chr(code))[0] in "LMN" else 32
        return self[code]


_SEPARATORS = _Separators()


def tokens(text: str, mode: str) -> list[str]:
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())
    if mode == "chars":
        return [c for c in folded.translate(_SEPARATORS) if c != " "]
    out: list[str] = []
    for word in folded.split():   # white space is never a letter, mark or digit: it always separates
        if word.isalnum():        # only letters and digits (Unicode categories L and N): one token as it is
            out.append(word)
        else:
            out.extend(word.translate(_SEPARATORS).split())
    return out


def windows(toks: list[str], n: int) -> set[str]:
    """The hashed windows of ``n`` consecutive tokens."""
    sha256, width = hashlib.sha256, HASH_BITS // 4   # runs for every window of every quote: kept inline
    encoded, join = [t.encode("utf-8") for t in toks], b"\x1f".join
    return {sha256(join(encoded[i:i + n])).hexdigest()[:width] for i in range(len(toks) - n + 1)}


def grams(text: str, mode: str) -> set[str]:
    """Every hashed window of ``text``, of each size of ``mode``."""
    toks = tokens(text, mode)
    return set().union(*(windows(toks, n) for n in MODES[mode]))


def quote_windows(quote: str, mode: str) -> set[str] | None:
    """The windows by which a quote is checked (the longest size it has), or None when it is too short."""
    toks = tokens(quote, mode)
    fitting = [n for n in MODES[mode] if n <= len(toks)]
    return windows(toks, fitting[-1]) if fitting else None


@dataclass(frozen=True)
class Fingerprint:
    source_id: str
    mode: str
    hashes: frozenset[str]

    def covers(self, quote: str, checked: set[str] | None = None) -> bool | None:
        """True/False; None when the quote has fewer tokens than an n-gram (it cannot be checked).
        ``checked``: the quote's ``quote_windows`` for this mode, when already computed."""
        wanted = quote_windows(quote, self.mode) if checked is None else checked
        return None if wanted is None else wanted <= self.hashes


def make(source_id: str, text: str, language: str) -> str:
    """The fingerprint file's text for ``text``."""
    mode = mode_for(language)
    hashes = sorted(grams(text, mode))
    if not hashes:
        raise FingerprintError(f"the text has fewer than {MODES[mode][0]} {mode}: nothing to fingerprint")
    body = "".join(f"{h}\n" for h in hashes)
    return (f"{MAGIC}\nsource_id: {source_id}\n{_tokens_line(mode)}\nhash: sha256/{HASH_BITS}\n"
            f"grams: {len(hashes)}\n{body}")


def _tokens_line(mode: str) -> str:
    return f"tokens: {mode} {' '.join(map(str, MODES[mode]))}"


def write_atomic(path: Path, text: str, encoding: str = "ascii") -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder (never half-written)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------- reading
_HASH_LINES = re.compile(rf"(?:[0-9a-f]{{{HASH_BITS // 4}}}\n)*")


def parse(data: bytes, source_id: str) -> Fingerprint:
    """A fingerprint file, checked strictly: header, sorted unique hashes, count, size. Raises FingerprintError."""
    if len(data) > MAX_BYTES:
        raise FingerprintError(f"file is {len(data)} bytes, more than {MAX_BYTES}: fingerprint a shorter text")
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        raise FingerprintError("file is not plain ASCII: regenerate it with `vn-la-security fingerprint`") from None
    if not text.endswith("\n") or "\r" in text:
        raise FingerprintError("file must use \\n line ends and end with one: regenerate it")
    lines = text[:-1].split("\n")
    header = lines[:5]
    expected = [MAGIC, f"source_id: {source_id}", None, f"hash: sha256/{HASH_BITS}", None]
    for i, want in enumerate(expected):
        if i >= len(header):
            raise FingerprintError("header is incomplete: regenerate the file", i + 1)
        if want is not None and header[i] != want:
            raise FingerprintError(f"line {i + 1} must be {want!r}: regenerate the file", i + 1)
    mode = next((m for m in MODES if header[2] == _tokens_line(m)), None)
    if mode is None:
        raise FingerprintError(f"line 3 must be one of {[_tokens_line(m) for m in MODES]}", 3)
    count = header[4].removeprefix("grams: ")
    if not header[4].startswith("grams: ") or not count.isdigit() or int(count) != len(lines) - 5 or not int(count):
        raise FingerprintError(f"line 5 must be 'grams: {len(lines) - 5}' (the number of hash lines)", 5)
    hashes = lines[5:]
    width, previous = HASH_BITS // 4, ""
    unique = frozenset(hashes)
    if _HASH_LINES.fullmatch(text, sum(len(line) + 1 for line in header)) and len(unique) == len(hashes) \
            and hashes == sorted(hashes):
        return Fingerprint(source_id, mode, unique)   # the common case, checked at C speed
    for i, h in enumerate(hashes, start=6):   # find and name the first bad line
        if len(h) != width or h.strip("0123456789abcdef"):
            raise FingerprintError(f"line {i} is not a hash of {width} lowercase hex digits", i)
        if h <= previous:
            raise FingerprintError(f"line {i}: hashes must be sorted and unique", i)
        previous = h
    return Fingerprint(source_id, mode, frozenset(hashes))


def path_for(root: Path, source_id: str) -> Path:
    return root / FOLDER / f"{source_id}.txt"


# --------------------------------------------------------------------------- checking
@dataclass
class Coverage:
    """How the quotes of this run were verified."""

    by_method: dict[str, int] = field(default_factory=lambda: {"archive": 0, "fingerprint": 0, "unverified": 0})
    sources: int = 0
    sources_with_fingerprint: int = 0
    unverified_sources: list[str] = field(default_factory=list)   # neither fingerprinted nor archived

    def line(self) -> str:
        m = self.by_method
        total = sum(m.values())
        return (f"provenance: {total} quotes: {m['archive']} checked against archived texts, {m['fingerprint']} "
                f"against fingerprints, {m['unverified']} unverified; {self.sources_with_fingerprint} of "
                f"{self.sources} sources fingerprinted, {len(self.unverified_sources)} with neither a fingerprint "
                "nor an archived text")


def _archive_hashes(archive: Path | None) -> set[str]:
    from .provenance import text_sha256

    if archive is None or not archive.is_dir():
        return set()
    out = set()
    for path in sorted(archive.glob("*.txt")):
        try:
            out.add(text_sha256(path.read_bytes().decode("utf-8-sig")))
        except (OSError, UnicodeDecodeError):
            continue   # reported by the archive check
    return out


def verify(root: Path, ds: Dataset, archive: Path | None = None) -> tuple[list[Diagnostic], Coverage]:
    """Errors for fingerprint files and for quotes their source's fingerprint does not cover, and how this run
    verified each quote (archive, fingerprint, unverified)."""
    diags: list[Diagnostic] = []
    cov = Coverage(sources=len(ds.rows["sources"]))
    archived = _archive_hashes(archive)
    folder_s = os.path.join(str(root), FOLDER)
    prints: dict[str, Fingerprint] = {}
    in_archive: set[str] = set()
    known = set()
    for row, origin in zip(ds.rows["sources"], ds.origins["sources"]):
        known.add(row.source_id)
        if row.text_sha256 and row.text_sha256 in archived:
            in_archive.add(row.source_id)
        shown = f"{FOLDER}/{row.source_id}.txt"
        file = os.path.join(folder_s, f"{row.source_id}.txt")
        try:
            st: os.stat_result | None = os.lstat(file)
        except OSError:
            st = None
        has_file = st is not None and stat.S_ISREG(st.st_mode)   # a real file, not a symlink to one
        recorded, checked_text = ds.fingerprints.get(row.source_id, (None, None))
        if not has_file:
            if recorded:
                line, col = origin.locate("fingerprint_sha256")
                diags.append(Diagnostic(origin.path, line, col, "E911",
                                        f"fingerprint_sha256 is set but {shown} is missing (or not a real file): "
                                        "make it with "
                                        f"`vn-la-security fingerprint {row.source_id} FILE`"))
            elif row.source_id not in in_archive and REQUIRE:
                diags.append(Diagnostic(origin.path, 1, 1, "E916",
                                        "neither a fingerprint nor an archived text: its quotes cannot be checked; "
                                        f"save the page and run `vn-la-security fingerprint {row.source_id} FILE`"))
            continue
        assert st is not None   # has_file
        try:
            if st.st_size > MAX_BYTES:
                raise FingerprintError(f"file is {st.st_size} bytes, more than {MAX_BYTES}: fingerprint a shorter text")
            with open(file, "rb") as fh:
                data = fh.read(MAX_BYTES + 1)   # parse refuses a longer file (one grown since the lstat)
            fp = parse(data, row.source_id)
        except FingerprintError as exc:
            diags.append(Diagnostic(shown, exc.line, 1, "E910", str(exc)))
            continue
        digest = hashlib.sha256(data).hexdigest()
        if recorded != digest:
            line, col = origin.locate("fingerprint_sha256" if recorded else ())
            diags.append(Diagnostic(origin.path, line, col, "E911",
                                    f"{shown} has SHA-256 {digest}, but fingerprint_sha256 is {recorded}: the "
                                    "fingerprint changed without its source record; re-run `vn-la-security "
                                    f"fingerprint {row.source_id} FILE` or restore the file"))
            continue
        if checked_text is None:
            diags.append(Diagnostic(origin.path, 1, 1, "E912",
                                    "fingerprinted, but checked_text is missing: write whole_article or excerpt"))
        prints[row.source_id] = fp
    folder = root / FOLDER
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.is_symlink():
                continue   # E005, from loading
            if path.stem not in known or path.suffix != ".txt" or not path.is_file():
                diags.append(Diagnostic(f"{FOLDER}/{path.name}", 1, 1, "E913",
                                        "not the fingerprint of a source: fingerprints are data/fingerprints/"
                                        "<source_id>.txt files of existing sources; remove it"))
    cov.sources_with_fingerprint = len(prints)
    cov.unverified_sources = sorted(known - set(prints) - in_archive)
    checked: dict[tuple[str, str], bool | None] = {}   # one cite item gives a row per row it cites: check once
    windowed: dict[tuple[str, str], set[str] | None] = {}   # a quote cited from several sources: hashed once
    for row, origin in zip(ds.rows["citations"], ds.origins["citations"]):
        if TABLES[row.record_table].derived:
            continue   # a derived row (tenure, spell, conflict) repeats the quotes of the facts it is made of
        printed = prints.get(row.source_id)
        key = (row.source_id, row.quote)
        if key not in checked:
            if printed is None:
                checked[key] = None
            else:
                at = (printed.mode, row.quote)
                if at not in windowed:
                    windowed[at] = quote_windows(row.quote, printed.mode)
                checked[key] = printed.covers(row.quote, windowed[at])
        covered = checked[key]
        if row.source_id in in_archive:
            cov.by_method["archive"] += 1
        elif covered:
            cov.by_method["fingerprint"] += 1
        else:
            cov.by_method["unverified"] += 1
        if printed is None or covered:
            continue
        line, col = origin.locate("quote")
        if covered is None:
            diags.append(Diagnostic(origin.path, line, col, "E915",
                                    f"quote is shorter than {MODES[printed.mode][0]} {printed.mode} and cannot be "
                                    "checked "
                                    f"against the fingerprint of {row.source_id}: quote more of the sentence"))
        else:
            diags.append(Diagnostic(origin.path, line, col, "E914",
                                    f"quote not covered by the fingerprint of {row.source_id}: copy it exactly "
                                    "from the text that was fingerprinted (same words in the same order), or "
                                    "fingerprint the text it comes from"))
    return diags, cov


def fingerprinted(root: Path) -> frozenset[str]:
    """IDs of the sources that have a fingerprint file (regular files only; the checks are in ``check``)."""
    folder = root / FOLDER
    if not folder.is_dir():
        return frozenset()
    return frozenset(p.stem for p in folder.glob("*.txt") if p.is_file() and not p.is_symlink())


def coverage(root: Path, ds: Dataset, archive: Path | None = None) -> Coverage:
    """How this run verified each quote (archive, fingerprint, unverified)."""
    return verify(root.absolute(), ds, archive)[1]


def info_line(root: Path) -> str:
    """The coverage line for ``vn-la-security info``: the records under ``root`` checked now."""
    from .validate import load_and_derive

    if not (root / "data").is_dir():
        return "provenance: no data/ folder here; run `vn-la-security info` in the repository to check the quotes"
    _, ds = load_and_derive(root.absolute())
    archive = os.environ.get("VN_LA_SECURITY_ARCHIVE")
    return coverage(root, ds, Path(archive) if archive else None).line()


# --------------------------------------------------------------------------- the command
def _set_keys(text: str, values: dict[str, str]) -> str:
    """The source YAML with top-level ``key: value`` lines replaced, or appended when absent."""
    lines = text.splitlines()
    for key, value in values.items():
        at = [i for i, line in enumerate(lines) if line.startswith(f"{key}:")]
        if at:
            lines[at[0]] = f"{key}: {value}"
        else:
            lines.append(f"{key}: {value}")
    return "\n".join(lines) + "\n"


def command(root: Path, source_id: str, text: str, checked_text: str) -> tuple[list[str], bool]:
    """Fingerprint ``text`` for ``source_id``: write the file, record it in the source, and check its quotes.

    Returns the lines to print and whether every quote of the source is covered. Raises FingerprintError
    for a problem the user must fix (no such source, a source file that does not validate, an empty text).
    """
    from . import yamlio
    from .loading import RecordFile
    from .provenance import text_sha256
    from .validate import load_and_derive

    shown = f"data/sources/{source_id}.yaml"
    source = root / shown
    if not source.is_file():
        raise FingerprintError(f"no source {source_id!r}: {shown} does not exist (create it with "
                               "`vn-la-security new source`)")
    loaded, problems = load_record(RecordFile("sources", shown, str(source)))
    if loaded is None or problems:
        raise FingerprintError(f"{shown} does not validate; fix it first:\n" + "\n".join(map(str, problems)))
    record = loaded.record
    content = make(source_id, text, record.language)
    digest = hashlib.sha256(content.encode("ascii")).hexdigest()
    keys = {"checked_text": checked_text, "fingerprint_sha256": digest}
    out = []
    sha = text_sha256(text)
    if record.text_sha256 is None:
        keys["text_sha256"] = sha
    elif record.text_sha256 != sha:
        out.append(f"note: this text's SHA-256 {sha} differs from text_sha256 {record.text_sha256} "
                   "(kept: it names the archived text)")
    new_yaml = _set_keys(yamlio.decode(source.read_bytes()), keys)
    record.model_validate(yamlio.parse(new_yaml))   # cannot fail for these values; never write a broken record
    path = path_for(root, source_id)
    write_atomic(path, content)
    write_atomic(source, new_yaml, "utf-8")
    fp = parse(content.encode("ascii"), source_id)
    _, ds = load_and_derive(root)
    quotes = [(row, origin) for row, origin in zip(ds.rows["citations"], ds.origins["citations"])
              if row.source_id == source_id]
    bad = [(row, origin, fp.covers(row.quote)) for row, origin in quotes if not fp.covers(row.quote)]
    out.append(f"fingerprint: wrote {FOLDER}/{source_id}.txt ({len(fp.hashes)} hashed windows of {fp.mode}) and "
               f"set {', '.join(keys)} in {shown}")
    for row, origin, covered in bad:
        line, col = origin.locate("quote")
        why = "too short to check" if covered is None else "NOT covered"
        out.append(f"{origin.path}:{line}:{col}: {why}: {row.quote}")
    out.append(f"fingerprint: {len(quotes) - len(bad)} of {len(quotes)} quotes of {source_id} covered")
    return out, not bad
