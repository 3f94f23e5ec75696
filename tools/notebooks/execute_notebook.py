"""Execute a notebook top to bottom on the project's Deno kernel, headless.

The Deno kernel often publishes a cell's ``idle`` status a few milliseconds before
the cell's last outputs, and stamps each output with the request current when it is
sent. nbclient stops listening at ``idle``, so nbconvert loses outputs; sending the
next cell at once would get them stamped as the next cell's. This executor moves on
only once the execute reply and ``idle`` have both arrived and IOPub has then been
quiet for a while (0.3 s; the lag seen is under 20 ms), files every message under
the request in its ``parent_header``, and fails if a result still comes in late.

The kernel runs in the notebook's folder, as in JupyterLab, so relative imports
resolve the same way in both; Deno finds the project's deno.json by walking up.
Jupyter's own files (the connection file...) go to the project's ``.jupyter/``, as
in ``make lab`` (``jupyter_dirs.py``).

Usage:
    execute_notebook.py NOTEBOOK [--output EXECUTED.ipynb] [--timeout SECONDS]

Without --output nothing is written: the run only checks that every cell succeeds.
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

import zmq
from jupyter_client.blocking.client import BlockingKernelClient
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
from jupyter_client.manager import KernelManager

from jupyter_dirs import use_project_directories
from notebook_json import (
    VOLATILE_CELL_METADATA,
    Notebook,
    NotebookFormatError,
    read_notebook,
    serialize,
    source_text,
    split_output_lines,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
KERNELS_DIR = PROJECT_ROOT / ".jupyter" / "kernels"
KERNEL_NAME = "deno"
SETUP_HINT = "run `make setup` to install the project's Deno kernelspec"

DEFAULT_QUIET_PERIOD = 0.3
POLL_INTERVAL_MS = 50
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")

Message = dict[str, Any]
Output = dict[str, Any]


class NotebookError(Exception):
    """A failure reported to the user as one message, without a Python traceback."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code
        self.notebook: Notebook | None = None


def strip_ansi(text: str) -> str:
    return ANSI_ESCAPE.sub("", text)


def parent_id(msg: Message) -> str:
    return str(msg.get("parent_header", {}).get("msg_id", ""))


def output_from_message(msg_type: str, content: dict[str, Any]) -> Output:
    if msg_type == "stream":
        return {"output_type": "stream", "name": content["name"], "text": content["text"]}
    if msg_type == "error":
        return {
            "output_type": "error",
            "ename": content["ename"],
            "evalue": content["evalue"],
            "traceback": content["traceback"],
        }
    output = {"output_type": msg_type, "data": content["data"], "metadata": content["metadata"]}
    if msg_type == "execute_result":
        output["execution_count"] = content["execution_count"]
    return output


@dataclass
class OutputCollector:
    """Applies IOPub messages to the outputs of the cell whose request they answer."""

    outputs_by_request: dict[str, list[Output]] = field(default_factory=dict)
    clear_before_next: set[str] = field(default_factory=set)
    displays: dict[str, list[Output]] = field(default_factory=dict)
    request_by_count: dict[int, str] = field(default_factory=dict)

    def track(self, request: str, outputs: list[Output]) -> None:
        self.outputs_by_request[request] = outputs

    def record_count(self, request: str, execution_count: int | None) -> None:
        if execution_count is not None:
            self.request_by_count[execution_count] = request

    def apply(self, msg: Message) -> None:
        msg_type = msg["header"]["msg_type"]
        content = msg["content"]
        if msg_type == "update_display_data":
            for output in self.displays.get(content.get("transient", {}).get("display_id"), []):
                output["data"], output["metadata"] = content["data"], content["metadata"]
            return
        request = parent_id(msg)
        outputs = self.outputs_by_request.get(request)
        if outputs is None:
            return
        if msg_type == "clear_output":
            if content.get("wait"):
                self.clear_before_next.add(request)
            else:
                outputs.clear()
            return
        if msg_type not in {"stream", "display_data", "execute_result", "error"}:
            return
        if msg_type == "execute_result":
            self.check_placement(request, content["execution_count"])
        if request in self.clear_before_next:
            self.clear_before_next.discard(request)
            outputs.clear()
        last = outputs[-1] if outputs else None
        if (
            msg_type == "stream"
            and last
            and last["output_type"] == "stream"
            and last["name"] == content["name"]
        ):
            last["text"] += content["text"]
            return
        output = output_from_message(msg_type, content)
        outputs.append(output)
        display_id = content.get("transient", {}).get("display_id")
        if display_id:
            self.displays.setdefault(display_id, []).append(output)

    def check_placement(self, request: str, execution_count: int) -> None:
        """Fail on a result stamped with a later cell's request.

        The Deno kernel stamps an output with the request current when it sends it, so
        an output that lags into the next cell's execution is misattributed; only the
        result carries its own execution count to reveal that.
        """
        owner = self.request_by_count.get(execution_count)
        if owner is not None and owner != request:
            raise NotebookError(
                f"the result of execution {execution_count} arrived after the next cell had "
                "started, so outputs may be misplaced; rerun with a longer --quiet-period",
                1,
            )


@dataclass
class Reply:
    status: str
    execution_count: int | None
    ename: str
    evalue: str
    traceback: list[str]


def is_idle_for(msg: Message, request: str) -> bool:
    return (
        msg["header"]["msg_type"] == "status"
        and parent_id(msg) == request
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

    def run_cell(self, label: str, source: str, outputs: list[Output]) -> Reply:
        request = self.client.execute(source, allow_stdin=False, stop_on_error=True)
        self.collector.track(request, outputs)
        reply: dict[str, Any] | None = None
        idle = False
        last_activity = time.monotonic()
        deadline = last_activity + self.timeout
        while reply is None or not idle or time.monotonic() - last_activity < self.quiet:
            ready = dict(self.poller.poll(POLL_INTERVAL_MS))
            if self.client.shell_channel.socket in ready:
                shell_msg = self.client.shell_channel.get_msg(timeout=0)
                if parent_id(shell_msg) == request:
                    reply = shell_msg["content"]
                    self.collector.record_count(request, reply.get("execution_count"))
                    last_activity = time.monotonic()
            if self.client.iopub_channel.socket in ready:
                msg = self.read_iopub(label)
                try:
                    self.collector.apply(msg)
                except NotebookError as error:
                    raise NotebookError(f"while running {label}, {error}", 1) from None
                idle = idle or is_idle_for(msg, request)
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

    def read_iopub(self, label: str) -> Message:
        try:
            msg: Message = self.client.iopub_channel.get_msg(timeout=0)
        except ValueError as error:
            # jupyter_client raises ValueError for a message it cannot verify or decode:
            # an output is lost, so the run cannot be trusted.
            raise NotebookError(
                f"unreadable kernel message while running {label}: {error}", 1
            ) from None
        return msg


def failure_message(notebook: Path, label: str, source: str, reply: Reply) -> str:
    headline = f"{strip_ansi(reply.ename)}: {strip_ansi(reply.evalue)}"
    first_line = next((line.strip() for line in source.splitlines() if line.strip()), "")
    lines = [f"{notebook}: {label} failed: {headline}", f"  cell starts with: {first_line}"]
    lines += [f"  {strip_ansi(line)}" for line in reply.traceback if strip_ansi(line) != headline]
    return "\n".join(lines)


def start_kernel(cwd: Path, startup_timeout: float) -> tuple[KernelManager, BlockingKernelClient]:
    # Only the project's kernelspec: a "deno" spec in the user's home may run another Deno.
    specs = KernelSpecManager(kernel_dirs=[str(KERNELS_DIR)])
    try:
        specs.get_kernel_spec(KERNEL_NAME)
    except NoSuchKernel:
        raise NotebookError(
            f"no '{KERNEL_NAME}' kernelspec in {KERNELS_DIR}: {SETUP_HINT}", 2
        ) from None
    manager = KernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=specs)
    try:
        manager.start_kernel(cwd=str(cwd))
    except OSError as error:
        raise NotebookError(f"cannot start the Deno kernel ({error}): {SETUP_HINT}", 2) from None
    context = zmq.Context()
    # With the default high-water mark, a chatty cell's IOPub messages would be dropped.
    context.setsockopt(zmq.RCVHWM, 0)
    client = manager.client(context=context)
    client.start_channels()
    try:
        client.wait_for_ready(timeout=startup_timeout)
    except RuntimeError as error:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
        raise NotebookError(f"the Deno kernel did not start: {error}", 2) from None
    return manager, client


def prepare_cell(cell: dict[str, Any]) -> None:
    cell["outputs"] = []
    cell["execution_count"] = None
    for key in VOLATILE_CELL_METADATA:
        cell.get("metadata", {}).pop(key, None)


def run_notebook(notebook: Notebook, path: Path, runner: DenoNotebookRunner) -> None:
    for number, cell in enumerate(notebook["cells"], start=1):
        if cell.get("cell_type") != "code":
            continue
        prepare_cell(cell)
        source = source_text(cell)
        if not source.strip():
            continue
        label = f"cell {number}"
        outputs: list[Output] = []
        try:
            reply = runner.run_cell(label, source, outputs)
        finally:
            cell["outputs"] = outputs
        cell["execution_count"] = reply.execution_count
        if reply.status != "ok":
            raise NotebookError(failure_message(path, label, source, reply), 1)


def execute(path: Path, timeout: float, quiet: float, startup_timeout: float) -> Notebook:
    """Run every code cell in order; raise NotebookError at the first failing cell.

    The error carries the partly executed notebook so that it can still be saved.
    """
    try:
        notebook = read_notebook(path)
    except NotebookFormatError as error:
        raise NotebookError(str(error), 2) from None
    manager, client = start_kernel(path.resolve().parent, startup_timeout)
    try:
        run_notebook(notebook, path, DenoNotebookRunner(manager, client, timeout, quiet))
    except NotebookError as error:
        error.notebook = notebook
        raise
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    return notebook


def write_notebook(notebook: Notebook, path: Path) -> None:
    for cell in notebook["cells"]:
        if cell.get("cell_type") == "code":
            cell["outputs"] = [split_output_lines(output) for output in cell["outputs"]]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(serialize(notebook), encoding="utf-8")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Execute a notebook on the project's Deno kernel.")
    parser.add_argument("notebook", type=Path)
    parser.add_argument("--output", type=Path, help="write the executed notebook here")
    parser.add_argument("--timeout", type=float, default=600, help="seconds allowed per cell")
    parser.add_argument(
        "--quiet-period",
        type=float,
        default=DEFAULT_QUIET_PERIOD,
        help="seconds of IOPub silence awaited after a cell's reply and idle status",
    )
    parser.add_argument(
        "--startup-timeout", type=float, default=60, help="seconds allowed for the kernel to start"
    )
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    # The kernel's connection file and anything Jupyter writes go to .jupyter, not to ~.
    use_project_directories()
    try:
        notebook = execute(args.notebook, args.timeout, args.quiet_period, args.startup_timeout)
        status = 0
    except NotebookError as error:
        print(f"execute_notebook: {error}", file=sys.stderr)
        if error.notebook is None:
            return error.exit_code
        notebook, status = error.notebook, error.exit_code
    if args.output is not None:
        write_notebook(notebook, args.output)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
