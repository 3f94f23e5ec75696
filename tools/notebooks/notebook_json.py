"""Read and write notebooks as plain JSON, in the layout nbformat and JupyterLab use.

Plain ``json`` rather than ``nbformat``: importing nbformat costs about two seconds
(its JSON-schema validator), paid on every run of every notebook tool.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

Notebook = dict[str, Any]

# Run timings JupyterLab may record: they change on every run and carry no content.
VOLATILE_CELL_METADATA = ("execution", "ExecuteTime")


class NotebookFormatError(Exception):
    """The file is not a notebook these tools can handle."""


def read_notebook(path: Path) -> Notebook:
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NotebookFormatError(f"{path}: no such notebook") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise NotebookFormatError(f"{path}: not valid JSON: {error}") from None
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        raise NotebookFormatError(f"{path}: not a notebook (no 'cells' list)")
    if notebook.get("nbformat") != 4:
        raise NotebookFormatError(
            f"{path}: nbformat {notebook.get('nbformat')} is not supported; "
            "save it with JupyterLab to upgrade it to version 4"
        )
    return notebook


def source_text(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _is_json_mime(mime: str) -> bool:
    return mime == "application/json" or (
        mime.startswith("application/") and mime.endswith("+json")
    )


def split_output_lines(output: dict[str, Any]) -> dict[str, Any]:
    """Store multi-line text as lists of lines, as nbformat does, for line-based diffs."""
    split = dict(output)
    if isinstance(split.get("text"), str):
        split["text"] = split["text"].splitlines(True)
    if isinstance(split.get("data"), dict):
        split["data"] = {
            mime: value.splitlines(True)
            if isinstance(value, str) and not _is_json_mime(mime)
            else value
            for mime, value in split["data"].items()
        }
    return split


def serialize(notebook: Notebook) -> str:
    return json.dumps(notebook, sort_keys=True, indent=1, ensure_ascii=False) + "\n"
