"""Remove outputs, execution counts and volatile metadata from notebooks.

Notebooks are committed without outputs: outputs bloat diffs, can leak data, and go
stale as soon as the code changes. ``--check`` changes nothing and fails, naming each
notebook and what it still holds, so CI catches a notebook saved with outputs.

Usage:
    strip_outputs.py [--check] [PATH ...]   (default PATH: notebooks/; folders are searched)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[2]
VOLATILE_CELL_METADATA = ("execution", "ExecuteTime")
VOLATILE_NOTEBOOK_METADATA = ("widgets",)


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


def strip(notebook: dict[str, Any]) -> list[str]:
    """Strip ``notebook`` in place and describe what was removed (empty when already clean)."""
    removed: list[str] = []
    for number, cell in enumerate(notebook.get("cells", []), start=1):
        if cell.get("outputs"):
            removed.append(f"cell {number} has {len(cell['outputs'])} output(s)")
        if cell.get("execution_count") is not None:
            removed.append(f"cell {number} has execution count {cell['execution_count']}")
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        metadata = cell.get("metadata", {})
        for key in VOLATILE_CELL_METADATA:
            if metadata.pop(key, None) is not None:
                removed.append(f"cell {number} has '{key}' metadata")
    for key in VOLATILE_NOTEBOOK_METADATA:
        if notebook.get("metadata", {}).pop(key, None) is not None:
            removed.append(f"notebook has '{key}' metadata")
    return removed


def serialize(notebook: dict[str, Any]) -> str:
    # The layout nbformat and JupyterLab write, so stripping does not reformat the file.
    return json.dumps(notebook, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def display_path(path: Path) -> str:
    resolved = path.resolve()
    return str(resolved.relative_to(PROJECT_ROOT)) if resolved.is_relative_to(PROJECT_ROOT) else str(path)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="report, do not modify")
    parser.add_argument("paths", nargs="*", type=Path, default=[PROJECT_ROOT / "notebooks"])
    args = parser.parse_args(argv)
    failed = False
    for path in find_notebooks(args.paths):
        try:
            notebook = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            print(f"{display_path(path)}: not valid JSON: {error}", file=sys.stderr)
            failed = True
            continue
        removed = strip(notebook)
        if not removed:
            continue
        if args.check:
            print(f"{display_path(path)}: not stripped: {'; '.join(removed)}", file=sys.stderr)
            failed = True
        else:
            path.write_text(serialize(notebook), encoding="utf-8")
            print(f"stripped {display_path(path)}")
    if failed and args.check:
        print("notebooks are committed without outputs: run strip_outputs.py", file=sys.stderr)
    return 1 if failed else 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
