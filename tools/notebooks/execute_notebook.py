"""Execute a notebook top to bottom on the project's Deno kernel, headless.

nbclient stops collecting a cell's outputs when the kernel reports ``idle``, but the
Deno kernel often publishes ``idle`` a few milliseconds before the cell's last
outputs, so nbconvert loses or misplaces them. This executor instead routes every
IOPub message to the cell whose request it answers (``parent_header.msg_id``) and
only moves on once the execute reply and ``idle`` have both arrived *and* the IOPub
socket has then been quiet for a short period.

The kernel runs in the notebook's directory, as in JupyterLab, so relative imports
behave the same in both; Deno finds the project's ``deno.json`` by walking up.

Usage:
    execute_notebook.py NOTEBOOK [--output EXECUTED.ipynb] [--timeout SECONDS]

Exit status: 0 when every cell ran, 1 when a cell failed (the message names the
cell), 2 when the notebook or the kernel could not be set up.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import zmq
from jupyter_client.blocking.client import BlockingKernelClient
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
from jupyter_client.manager import KernelManager
from nbformat import NotebookNode

PROJECT_ROOT = Path(__file__).resolve().parents[2]
KERNELS_DIR = PROJECT_ROOT / ".jupyter" / "kernels"
KERNEL_NAME = "deno"
SETUP_HINT = "run `make setup` to install the project's Deno kernelspec"

# Idle is seen up to ~10 ms before the last output; 0.3 s leaves a wide margin.
DEFAULT_QUIET_PERIOD = 0.3
POLL_INTERVAL = 0.05
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
OUTPUT_MESSAGES = {"stream", "display_data", "execute_result", "error"}


class NotebookError(Exception):
    """A failure to report to the user as one message, without a Python traceback."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code
        self.notebook: NotebookNode | None = None


def strip_ansi(text: str) -> str:
    return ANSI_ESCAPE.sub("", text)


@dataclass
class OutputCollector:
    """Applies IOPub messages to the outputs of the cell that requested them."""

    outputs_by_request: dict[str, list[NotebookNode]] = field(default_factory=dict)
    clear_before_next: set[str] = field(default_factory=set)
    displays: dict[str, list[NotebookNode]] = field(default_factory=dict)

    def track(self, msg_id: str, outputs: list[NotebookNode]) -> None:
        self.outputs_by_request[msg_id] = outputs

    def apply(self, msg: dict[str, Any]) -> None:
        msg_type = msg["header"]["msg_type"]
        content = msg["content"]
        if msg_type == "update_display_data":
            self._update_display(content)
            return
        outputs = self.outputs_by_request.get(msg["parent_header"].get("msg_id", ""))
        if outputs is None:
            return
        request = msg["parent_header"]["msg_id"]
        if msg_type == "clear_output":
            if content.get("wait"):
                self.clear_before_next.add(request)
            else:
                outputs.clear()
            return
        if msg_type not in OUTPUT_MESSAGES:
            return
        if request in self.clear_before_next:
            self.clear_before_next.discard(request)
            outputs.clear()
        last = outputs[-1] if outputs else None
        if (
            msg_type == "stream"
            and last is not None
            and last.output_type == "stream"
            and last.name == content["name"]
        ):
            last.text += content["text"]
            return
        output = nbformat.v4.output_from_msg(msg)
        outputs.append(output)
        display_id = content.get("transient", {}).get("display_id")
        if display_id:
            self.displays.setdefault(display_id, []).append(output)

    def _update_display(self, content: dict[str, Any]) -> None:
        display_id = content.get("transient", {}).get("display_id")
        for output in self.displays.get(display_id, []):
            output.data = content["data"]
            output.metadata = content["metadata"]


@dataclass
class Reply:
    status: str
    execution_count: int | None
    ename: str
    evalue: str
    traceback: list[str]


def is_idle_for(msg: dict[str, Any], msg_id: str) -> bool:
    return (
        msg["header"]["msg_type"] == "status"
        and msg["parent_header"].get("msg_id") == msg_id
        and msg["content"]["execution_state"] == "idle"
    )


class DenoNotebookRunner:
    """Runs code cells one at a time on a started kernel and waits for all their outputs."""

    def __init__(
        self, manager: KernelManager, client: BlockingKernelClient, timeout: float, quiet: float
    ) -> None:
        self.manager = manager
        self.client = client
        self.timeout = timeout
        self.quiet = quiet
        self.collector = OutputCollector()
        self.poller = zmq.Poller()
        self.poller.register(client.iopub_channel.socket, zmq.POLLIN)
        self.poller.register(client.shell_channel.socket, zmq.POLLIN)

    def run_cell(self, label: str, cell: NotebookNode) -> Reply:
        cell.outputs = []
        msg_id = self.client.execute(cell.source, allow_stdin=False, stop_on_error=True)
        self.collector.track(msg_id, cell.outputs)
        reply: dict[str, Any] | None = None
        idle = False
        last_activity = time.monotonic()
        deadline = last_activity + self.timeout
        while reply is None or not idle or time.monotonic() - last_activity < self.quiet:
            ready = dict(self.poller.poll(POLL_INTERVAL * 1000))
            if self.client.shell_channel.socket in ready:
                shell_msg = self.client.shell_channel.get_msg(timeout=0)
                if shell_msg["parent_header"].get("msg_id") == msg_id:
                    reply = shell_msg["content"]
                    last_activity = time.monotonic()
            if self.client.iopub_channel.socket in ready:
                msg = self._read_iopub(label)
                self.collector.apply(msg)
                idle = idle or is_idle_for(msg, msg_id)
                last_activity = time.monotonic()
            if time.monotonic() > deadline:
                raise NotebookError(f"{label} did not finish within {self.timeout:g} s", 1)
            if not ready and not self.manager.is_alive():
                raise NotebookError(f"the kernel died while running {label}", 1)
        return Reply(
            status=reply["status"],
            execution_count=reply.get("execution_count"),
            ename=reply.get("ename", ""),
            evalue=reply.get("evalue", ""),
            traceback=reply.get("traceback", []),
        )

    def _read_iopub(self, label: str) -> dict[str, Any]:
        try:
            return self.client.iopub_channel.get_msg(timeout=0)
        except ValueError as error:
            # jupyter_client raises ValueError for a message it cannot verify or decode;
            # the output is gone, so the run cannot be trusted.
            raise NotebookError(f"unreadable kernel message while running {label}: {error}", 1)


def first_line(source: str) -> str:
    return next((line for line in source.splitlines() if line.strip()), "").strip()


def failure_message(notebook: Path, label: str, cell: NotebookNode, reply: Reply) -> str:
    lines = [f"{notebook}: {label} failed: {strip_ansi(reply.ename)}: {strip_ansi(reply.evalue)}"]
    lines.append(f"  cell starts with: {first_line(cell.source)}")
    headline = f"{reply.ename}: {reply.evalue}"
    lines.extend(
        f"  {strip_ansi(line)}" for line in reply.traceback if strip_ansi(line) != headline
    )
    return "\n".join(lines)


def start_kernel(cwd: Path, startup_timeout: float) -> tuple[KernelManager, BlockingKernelClient]:
    specs = KernelSpecManager(kernel_dirs=[str(KERNELS_DIR)])
    try:
        specs.get_kernel_spec(KERNEL_NAME)
    except NoSuchKernel:
        raise NotebookError(f"no '{KERNEL_NAME}' kernelspec in {KERNELS_DIR}: {SETUP_HINT}", 2)
    manager = KernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=specs)
    try:
        manager.start_kernel(cwd=str(cwd))
    except OSError as error:
        raise NotebookError(f"cannot start the Deno kernel ({error}): {SETUP_HINT}", 2)
    context = zmq.Context()
    # The default high-water mark silently drops IOPub messages from chatty cells.
    context.setsockopt(zmq.RCVHWM, 0)
    client = manager.client(context=context)
    client.start_channels()
    try:
        client.wait_for_ready(timeout=startup_timeout)
    except RuntimeError as error:
        manager.shutdown_kernel(now=True)
        raise NotebookError(f"the Deno kernel did not start: {error}", 2)
    return manager, client


def read_notebook(path: Path) -> NotebookNode:
    try:
        return nbformat.read(path, as_version=4)
    except FileNotFoundError:
        raise NotebookError(f"{path}: no such notebook", 2)
    except (ValueError, nbformat.reader.NotJSONError) as error:
        raise NotebookError(f"{path}: not a valid notebook: {error}", 2)


def execute(notebook_path: Path, timeout: float, quiet: float, startup_timeout: float) -> NotebookNode:
    """Run every code cell in order; raise NotebookError at the first failing cell.

    The executed notebook is attached to the error so a partial run can still be saved.
    """
    notebook = read_notebook(notebook_path)
    manager, client = start_kernel(notebook_path.resolve().parent, startup_timeout)
    runner = DenoNotebookRunner(manager, client, timeout, quiet)
    try:
        for index, cell in enumerate(notebook.cells, start=1):
            if cell.cell_type != "code":
                continue
            cell.metadata.pop("execution", None)
            if not cell.source.strip():
                cell.outputs, cell.execution_count = [], None
                continue
            label = f"cell {index}"
            reply = runner.run_cell(label, cell)
            cell.execution_count = reply.execution_count
            if reply.status != "ok":
                raise NotebookError(failure_message(notebook_path, label, cell, reply), 1)
    except NotebookError as error:
        error.notebook = notebook
        raise
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    return notebook


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebook", type=Path)
    parser.add_argument("--output", type=Path, help="write the executed notebook here")
    parser.add_argument("--timeout", type=float, default=600, help="seconds allowed per cell")
    parser.add_argument(
        "--quiet-period",
        type=float,
        default=DEFAULT_QUIET_PERIOD,
        help="seconds of IOPub silence required after a cell is idle",
    )
    parser.add_argument("--startup-timeout", type=float, default=60)
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    notebook: NotebookNode | None = None
    status = 0
    try:
        notebook = execute(args.notebook, args.timeout, args.quiet_period, args.startup_timeout)
    except NotebookError as error:
        print(f"execute_notebook: {error}", file=sys.stderr)
        notebook = error.notebook
        status = error.exit_code
    if args.output is not None and notebook is not None:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, args.output)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
