"""Open JupyterLab on the notebooks, its files kept in the project (``jupyter_dirs.py``).

Runs ``jupyter lab --notebook-dir=notebooks`` with the project's Jupyter folders and any
further arguments (``--no-browser``, ``--port=8890``, ``--allow-root``...). ``make lab``
runs it with ``MLFLOW_TRACKING_URI`` set to the local MLflow server, which the models
notebook reads its runs from.

Usage:
    lab.py [JUPYTER LAB ARGUMENTS ...]
"""

from __future__ import annotations

import os
import sys

from jupyter_dirs import DIRECTORIES, PROJECT_ROOT, use_project_directories

LAB_ARGUMENTS = [
    f"--notebook-dir={PROJECT_ROOT / 'notebooks'}",
    f"--LabApp.workspaces_dir={DIRECTORIES['JUPYTERLAB_WORKSPACES_DIR']}",
    # The project has no language servers; looking for them only runs npm, which writes
    # its logs to ~/.npm.
    "--LanguageServerManager.autodetect=False",
]


def main(argv: list[str]) -> None:
    use_project_directories()
    command = [sys.executable, "-m", "jupyterlab", *LAB_ARGUMENTS, *argv]
    os.execv(sys.executable, command)


if __name__ == "__main__":
    main(sys.argv[1:])
