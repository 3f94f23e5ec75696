"""Where Jupyter keeps its per-user files: in the project's ``.jupyter/``, not in ``~``.

By default Jupyter writes its config and settings to ``~/.jupyter``, its data and
runtime files (connection files, the cookie secret) to ``~/.local/share/jupyter``,
JupyterLab's workspaces and user settings under ``~/.jupyter/lab`` and IPython's
profile to ``~/.ipython``. The project's tools point all of them into ``.jupyter/``
(per machine, not committed, next to the project's Deno kernelspec), so that working on
the project leaves the user's own Jupyter set-up as it was.

Both ``lab.py`` (``make lab``) and ``execute_notebook.py`` run with this environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
STATE_DIR = PROJECT_ROOT / ".jupyter"

#: Each variable Jupyter, JupyterLab and IPython read, and its folder in the project.
DIRECTORIES: dict[str, Path] = {
    "JUPYTER_CONFIG_DIR": STATE_DIR / "config",
    # The data dir is .jupyter itself: a kernelspec installed with `--user` lands next to
    # the project's own in .jupyter/kernels.
    "JUPYTER_DATA_DIR": STATE_DIR,
    "JUPYTER_RUNTIME_DIR": STATE_DIR / "runtime",
    "JUPYTERLAB_SETTINGS_DIR": STATE_DIR / "lab" / "user-settings",
    "JUPYTERLAB_WORKSPACES_DIR": STATE_DIR / "lab" / "workspaces",
    "IPYTHONDIR": STATE_DIR / "ipython",
}


def project_environment(base: Mapping[str, str]) -> dict[str, str]:
    """``base`` with every Jupyter folder in the project and ``.jupyter`` first on JUPYTER_PATH."""
    env = dict(base)
    env.update({name: str(path) for name, path in DIRECTORIES.items()})
    search = [p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    if str(STATE_DIR) not in search:
        search.insert(0, str(STATE_DIR))
    env["JUPYTER_PATH"] = os.pathsep.join(search)
    return env


def use_project_directories() -> None:
    """Points this process (and what it starts) at the project's folders, creating them."""
    os.environ.update(project_environment(os.environ))
    for path in DIRECTORIES.values():
        path.mkdir(parents=True, exist_ok=True)
