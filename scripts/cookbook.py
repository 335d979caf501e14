"""Run every Python block of docs/cookbook.md and write what it prints into the ``text`` block after it.

    python scripts/cookbook.py           # rewrite docs/cookbook.md with fresh outputs
    python scripts/cookbook.py --check   # exit 1 if an output differs (the test suite does this)

Blocks run in order in one namespace (like a notebook), in the repository's root folder. A Python block
followed by a ``text`` block has its standard output compared with (or written into) that block; a block that
prints nothing has no output block. A ``bash`` block is run with the shell when it is marked
``<!-- run -->`` on the line before it.
"""
from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COOKBOOK = ROOT / "docs" / "cookbook.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```\n", re.M | re.S)


def _run_python(code: str, namespace: dict) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "<cookbook>", "exec"), namespace)  # noqa: S102 - the project's own documentation
    return out.getvalue()


def _run_shell(code: str) -> str:
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", code], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    if done.returncode:
        raise RuntimeError(f"cookbook shell block failed ({done.returncode}):\n{code}\n{done.stderr}")
    return done.stdout


def render(text: str) -> str:
    """The cookbook with every output block replaced by what its code prints now."""
    namespace: dict = {"__name__": "__cookbook__"}
    out: list[str] = []
    pos = 0
    blocks = list(FENCE.finditer(text))
    i = 0
    old_cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        while i < len(blocks):
            m = blocks[i]
            out.append(text[pos:m.end()])
            pos = m.end()
            lang, code = m.group(1), m.group(2)
            printed = None
            if lang == "python":
                printed = _run_python(code, namespace)
            elif lang == "bash" and text[:m.start()].rstrip().endswith("<!-- run -->"):
                printed = _run_shell(code)
            i += 1
            has_output = i < len(blocks) and blocks[i].group(1) == "text" and \
                text[pos:blocks[i].start()].strip() == ""
            if has_output:
                pos = blocks[i].end()
                i += 1
            if printed:
                out.append(f"```text\n{printed if printed.endswith(chr(10)) else printed + chr(10)}```\n")
            elif has_output and printed is None:
                out.append(blocks[i - 1].group(0))
    finally:
        os.chdir(old_cwd)
    out.append(text[pos:])
    return "".join(out)


def main(argv: list[str]) -> int:
    current = COOKBOOK.read_text(encoding="utf-8")
    fresh = render(current)
    if "--check" in argv:
        if fresh != current:
            print("docs/cookbook.md is stale: run `python scripts/cookbook.py`", file=sys.stderr)
            return 1
        return 0
    COOKBOOK.write_text(fresh, encoding="utf-8")
    print(f"wrote {COOKBOOK.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
