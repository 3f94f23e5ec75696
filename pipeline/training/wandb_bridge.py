"""Records training runs with the Weights & Biases SDK, fed by the TypeScript tracker.

One process per training: it reads one JSON object per line on stdin, each a complete
run (name, job_type, config, summary, history rows by step), records it as a W&B run of
the given project and group, and answers one JSON line per run on stdout, {"name", "id",
"file"} (the run's .wandb file, which `wandb sync` uploads) or {"error"} after which it
exits. Its first line is {"ready": <wandb version>} or {"error"} when the SDK cannot load.
W&B's own output goes to stderr so that stdout carries nothing but the answers.
"""

import argparse
import json
import os
import sys


def answer(out, message):
    out.write(json.dumps(message) + "\n")
    out.flush()


def one_line(error):
    """An error's message on one line, without the links pydantic appends."""
    lines = [l.strip() for l in str(error).splitlines() if "further information" not in l]
    return " ".join(l for l in lines if l)[:400]


def record_run(wandb, settings, project, group, run):
    """Records one run and returns its answer."""
    wb = wandb.init(
        project=project,
        group=group,
        name=run["name"],
        job_type=run["job_type"],
        config=run["config"],
        settings=settings,
        # Every run of the training is its own W&B run, one after the other.
        reinit="create_new",
    )
    try:
        # A figure by step is a curve: its last value is no summary of the run.
        for key in {k for row in run["history"] for k in row["values"]}:
            wb.define_metric(key, summary="none")
        for row in run["history"]:
            wb.log(row["values"], step=row["step"])
        wb.summary.update(run["summary"])
    finally:
        wb.finish()
    return {"name": run["name"], "id": wb.id, "file": wb.settings.sync_file}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--project", required=True)
    parser.add_argument("--group", required=True)
    parser.add_argument("--mode", default="offline")
    args = parser.parse_args()
    out = os.fdopen(os.dup(1), "w")
    # Before the SDK loads: its service process inherits fd 1 and must not write to it.
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    try:
        import wandb
    except ImportError as error:
        answer(out, {"error": f"the wandb package is not installed for {sys.executable} ({error})"})
        return 1
    try:
        settings = wandb.Settings(
            mode=args.mode,
            silent=True,
            console="off",
            # What the runs record is the training's own figures, not the machine's.
            x_disable_stats=True,
            x_save_requirements=False,
            save_code=False,
            disable_git=True,
            disable_job_creation=True,
        )
        answer(out, {"ready": wandb.__version__})
        for line in sys.stdin:
            answer(out, record_run(wandb, settings, args.project, args.group, json.loads(line)))
    except Exception as error:  # noqa: BLE001 - reported to the tracker, which warns
        answer(out, {"error": f"{type(error).__name__}: {one_line(error)}"})
        return 1
    finally:
        wandb.teardown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
