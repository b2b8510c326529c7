"""Build the hand-written parts of the corpus: test/ (frozen) and the new files of dev/.

Sources: frozen_*.py -> test/*.jsonl, dev_*.py -> dev/*.jsonl (see SOURCES; the older dev files
come from build_corpus.py). Private values and their spellings come from pii_spellings.py, seeded
by each message's id, so the output is deterministic.

The test split is frozen: this script refuses to change a file of test/ (it checks instead)
unless --rewrite-test is given, and then TEST_MANIFEST must be updated in a commit of its own
that says why (see README.md).

Run: python tests/data/messages/build_split.py [--rewrite-test]
"""

from __future__ import annotations

import hashlib
import importlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from labels import render  # noqa: E402

# split -> {source module: output file stem}; the older dev files (seekers, jobs, others,
# adversarial_pii) belong to build_corpus.py, so these stems must differ from theirs.
SOURCES = {
    "test": {"frozen_seekers": "seekers", "frozen_jobs": "jobs", "frozen_other": "other", "frozen_pii": "pii"},
    "dev": {"dev_seekers": "notes", "dev_jobs": "ads", "dev_other": "misc", "dev_pii": "pii_forms"},
}
TEST_MANIFEST = HERE / "test.sha256"


def build(split: str, module: str, name: str) -> str:
    rows = importlib.import_module(module).MESSAGES
    lines = [json.dumps(render(f"{split}/{name}/{i:03d}", raw), ensure_ascii=False) for i, raw in enumerate(rows, 1)]
    return "\n".join(lines) + "\n"


def manifest_lines(folder: Path) -> str:
    """`sha256  file` for every file of the frozen split, sorted (the format of sha256sum)."""
    return "".join(
        f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}\n" for p in sorted(folder.glob("*.jsonl"))
    )


def main(argv: list[str]) -> int:
    rewrite_test = "--rewrite-test" in argv
    status = 0
    for split, modules in SOURCES.items():
        folder = HERE / split
        folder.mkdir(exist_ok=True)
        for module, name in modules.items():
            out = folder / f"{name}.jsonl"
            text = build(split, module, name)
            if split == "test" and out.exists() and not rewrite_test:
                if out.read_text(encoding="utf-8") != text:
                    print(f"{out} differs from its source; the test split is frozen (see README.md)")
                    status = 1
                continue
            out.write_text(text, encoding="utf-8")
            print(out.relative_to(HERE), text.count("\n"))
    if rewrite_test:
        TEST_MANIFEST.write_text(manifest_lines(HERE / "test"), encoding="utf-8")
        print("rewrote", TEST_MANIFEST.name)
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
