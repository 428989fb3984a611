"""`trainer validate` imports only what checking a file needs, a large file's included.

Each module named here cost a fresh `trainer validate` milliseconds of its start, against a
budget measured from the parser's own (docs/performance.md): `dataclasses` (with `inspect`,
`ast` and `dis` behind it) for the report's records, `multiprocessing` for the child that
shares a large file's work, `difflib` for a "did you mean" no clean file needs.
"""

from __future__ import annotations

import subprocess
import sys

from benchmarks.generate import module_text

NOT_NEEDED = ("dataclasses", "inspect", "multiprocessing", "pickle", "difflib")


def test_validating_a_large_clean_module_imports_none_of_them(tmp_path):
    path = tmp_path / "large.toml"
    path.write_text(module_text(700, 3), encoding="utf-8")
    assert path.stat().st_size > 1_000_000  # shared with a child (CONCURRENT_FROM)
    code = (
        "import sys\n"
        "from trainer.cli import main\n"
        f"sys.argv = ['trainer', 'validate', {str(path)!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as done:\n"
        "    assert not done.code, done.code\n"
        f"print(sorted(m for m in {NOT_NEEDED!r} if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "PYTHONPATH": ":".join(sys.path)},
    )
    assert done.stdout.strip() == "[]", done.stderr
