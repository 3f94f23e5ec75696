"""Remove outputs, execution counts and volatile metadata from notebooks.

Notebooks are committed without outputs: outputs bloat diffs, can leak data, and go
stale as soon as the code changes. ``--check`` changes nothing and fails, naming each
notebook and what it still holds, so CI catches a notebook saved with outputs.

Usage:
    strip_outputs.py [--check] [PATH ...]   (default PATH: notebooks/; folders are searched)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from notebook_json import (
    VOLATILE_CELL_METADATA,
    Notebook,
    NotebookFormatError,
    read_notebook,
    serialize,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def find_notebooks(paths: list[Path]) -> list[Path]:
    found: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found.update(p for p in path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
        elif path.suffix == ".ipynb" and path.is_file():
            found.add(path)
        else:
            raise SystemExit(f"strip_outputs: {path} is neither a notebook nor a folder")
    return sorted(found)


def cell_list(numbers: list[int]) -> str:
    return ", ".join(str(number) for number in numbers)


def strip(notebook: Notebook) -> list[str]:
    """Strip ``notebook`` in place and describe what was removed (empty when already clean)."""
    with_outputs: list[int] = []
    with_counts: list[int] = []
    with_metadata: list[int] = []
    for number, cell in enumerate(notebook["cells"], start=1):
        if cell.get("outputs"):
            with_outputs.append(number)
        if cell.get("execution_count") is not None:
            with_counts.append(number)
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        metadata = cell.get("metadata", {})
        if any([metadata.pop(key, None) is not None for key in VOLATILE_CELL_METADATA]):
            with_metadata.append(number)
    removed = []
    if with_outputs:
        removed.append(f"outputs in cells {cell_list(with_outputs)}")
    if with_counts:
        removed.append(f"execution counts in cells {cell_list(with_counts)}")
    if with_metadata:
        removed.append(f"execution metadata in cells {cell_list(with_metadata)}")
    if notebook.get("metadata", {}).pop("widgets", None) is not None:
        removed.append("widget state")
    return removed


def display_path(path: Path) -> str:
    resolved = path.resolve()
    return (
        str(resolved.relative_to(PROJECT_ROOT))
        if resolved.is_relative_to(PROJECT_ROOT)
        else str(path)
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="report, do not modify")
    parser.add_argument("paths", nargs="*", type=Path, default=[PROJECT_ROOT / "notebooks"])
    args = parser.parse_args(argv)
    failed = False
    for path in find_notebooks(args.paths):
        try:
            notebook = read_notebook(path)
        except NotebookFormatError as error:
            print(error, file=sys.stderr)
            failed = True
            continue
        removed = strip(notebook)
        if not removed:
            continue
        if args.check:
            print(f"{display_path(path)}: {'; '.join(removed)}", file=sys.stderr)
            failed = True
        else:
            path.write_text(serialize(notebook), encoding="utf-8")
            print(f"stripped {display_path(path)}")
    if failed and args.check:
        print(
            "notebooks are committed without outputs: run tools/notebooks/strip_outputs.py",
            file=sys.stderr,
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
