"""Reads offline W&B runs back from their .wandb files and prints them as JSON.

The SDK no longer ships a Python reader of its transaction log (its Go core reads it), so
the framing is read here: the file's 7-byte header (":W&B", magic 0xBEE1, version 0), then
LevelDB-log records in 32 KiB blocks, each with a CRC-32 of its type byte and data, which
is checked. The records themselves are parsed with the SDK's own protobuf definitions
(wandb.proto.wandb_internal_pb2.Record), so a change of the format fails here, loudly.

Usage: read_wandb_run.py FILE.wandb... -> [{"name", "group", "job_type", "project",
"config", "summary", "history": [{"step", "values"}], "exit_code"}, ...]; keys W&B adds
itself (starting with "_") are left out.
"""

import json
import struct
import sys
import zlib

from wandb.proto import wandb_internal_pb2 as pb

BLOCK = 32 * 1024
RECORD_HEADER = 7
FULL, FIRST, MIDDLE, LAST = 1, 2, 3, 4


def records(path):
    """The protobuf records of a .wandb file, in order."""
    data = open(path, "rb").read()
    ident, magic, version = data[:4], *struct.unpack("<HB", data[4:7])
    if ident != b":W&B" or magic != 0xBEE1 or version != 0:
        raise ValueError(f"{path}: not a version-0 W&B transaction log")
    pos, pending = 7, b""
    while pos + RECORD_HEADER <= len(data):
        left = BLOCK - pos % BLOCK
        if left < RECORD_HEADER:  # the rest of a block too short for a header is padding
            pos += left
            continue
        crc, length, kind = struct.unpack("<IHB", data[pos : pos + RECORD_HEADER])
        if crc == 0 and length == 0 and kind == 0:
            break
        chunk = data[pos + RECORD_HEADER : pos + RECORD_HEADER + length]
        if zlib.crc32(bytes([kind]) + chunk) & 0xFFFFFFFF != crc:
            raise ValueError(f"{path}: bad checksum at byte {pos}")
        pos += RECORD_HEADER + length
        if kind == FULL:
            yield parse(chunk)
        elif kind == FIRST:
            pending = chunk
        elif kind == MIDDLE:
            pending += chunk
        elif kind == LAST:
            yield parse(pending + chunk)
        else:
            raise ValueError(f"{path}: unknown record type {kind} at byte {pos}")


def parse(data):
    record = pb.Record()
    record.ParseFromString(data)
    return record


def key_of(item):
    return ".".join(item.nested_key) if item.nested_key else item.key


def own(items):
    return {
        key_of(i): json.loads(i.value_json) for i in items if not key_of(i).startswith("_")
    }


def read_run(path):
    run = {"config": {}, "summary": {}, "history": [], "exit_code": None}
    for record in records(path):
        kind = record.WhichOneof("record_type")
        if kind == "run":
            r = record.run
            run.update(name=r.display_name, group=r.run_group, job_type=r.job_type,
                       project=r.project)
            run["config"].update(own(r.config.update))
        elif kind == "config":
            run["config"].update(own(record.config.update))
            for item in record.config.remove:
                run["config"].pop(key_of(item), None)
        elif kind == "summary":
            run["summary"].update(own(record.summary.update))
            for item in record.summary.remove:
                run["summary"].pop(key_of(item), None)
        elif kind == "history":
            run["history"].append({"step": record.history.step.num,
                                   "values": own(record.history.item)})
        elif kind == "exit":
            run["exit_code"] = record.exit.exit_code
    return run


if __name__ == "__main__":
    print(json.dumps([read_run(path) for path in sys.argv[1:]]))
