"""Loader-differential mutation fuzzing: byte-shifted copies of the fixtures, read by the REAL loaders.

Each mutant of a fixture is recorded with tooling/fixtures/differential_loaders.py (the real loader
code, every import a stub: nothing in a file runs), in a forked child with an alarm and a memory cap
(a mutant can hang or crash a loader). What the loader reached is written to OUT/index.json;
scan-mutants.mjs then scans every mutant and lists those where the loader reaches a dangerous global
and the scanner reports nothing at warning or above (and is not inconclusive).

    /usr/bin/python3 tooling/fuzz/loader_mutants.py OUT [--seed N] [--per-file N] [--family F ...]

Families: pickle (raw .pkl, both unpicklers once and in a loop), torch-zip (header fields of the
zip records only), torch-legacy, joblib, numpy (any byte).
"""

import argparse
import contextlib
import glob
import io
import json
import os
import random
import resource
import signal
import sys
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
sys.path.insert(0, str(FIXTURES))
import differential_loaders as dl  # noqa: E402

# Opcodes and zip/pickle-significant bytes a mutation writes more often than random ones.
PICKLE_BYTES = b"(.0123456789:<=>BCDEFGHIJKLMNPQRSTUVXabcdefghijlmopqrstu}]" + bytes(range(0x80, 0x99))
# Globals (module.name as find_class is asked) that run code; "subprocess." and "runpy." cover their modules.
DANGER = ("posix.system", "os.system", "nt.system", "builtins.eval", "builtins.exec", "subprocess.",
          "builtins.__import__", "runpy.", "webbrowser.", "os.popen")
ZIP_RECORDS = [(b"PK\x03\x04", 30), (b"PK\x01\x02", 46), (b"PK\x05\x06", 22), (b"PK\x06\x06", 56), (b"PK\x06\x07", 20)]


def small(pattern):
    return [p for p in glob.glob(str(FIXTURES / pattern)) if os.path.getsize(p) < 40000 and not p.endswith(".json")]


FAMILIES = {
    "pickle": (lambda: small("pickle/*.pkl") + small("differential-pickle/*.pkl"), dl.record_all_pickle, "bytes"),
    "torch-zip": (lambda: small("differential-zip/*torch*.pt") + small("pickle/torch_zip_*"), lambda p: [dl.record_torch(p)], "zip"),
    "torch-legacy": (lambda: small("pickle/torch_legacy_*.pt") + small("pickle-readings/*torch*") + small("differential-torch/*"),
                     lambda p: [dl.record_torch(p)], "bytes"),
    "joblib": (lambda: small("differential-joblib/*") + small("pickle/*joblib*"), lambda p: [dl.record_joblib(p)], "bytes"),
    "numpy": (lambda: small("differential-npz/*") + small("pickle/numpy_object*"), lambda p: [dl.record_numpy(p)], "bytes"),
}


def mutate_bytes(data, rng):
    b = bytearray(data)
    i = rng.randrange(len(b))
    kind = rng.randrange(6)
    if kind == 0:
        b[i] ^= 1 << rng.randrange(8)
    elif kind == 1:
        b[i] = rng.choice(PICKLE_BYTES)
    elif kind == 2:
        b[i:i] = bytes([rng.choice(PICKLE_BYTES)])
    elif kind == 3:
        del b[i:i + rng.randint(1, 3)]
    elif kind == 4:
        j = rng.randrange(len(b))
        b[i:i] = b[j:j + rng.randint(1, 16)]
    else:
        b[i] = rng.randrange(256)
    return bytes(b)


def mutate_zip_header(data, rng):
    """One edit inside a zip record's fixed fields or name: offsets, sizes, counts, flags, names."""
    spans = []
    for signature, length in ZIP_RECORDS:
        at = data.find(signature)
        while at >= 0:
            spans.append((at, min(len(data), at + length + 40)))
            at = data.find(signature, at + 1)
    if not spans:
        return mutate_bytes(data, rng)
    start, end = rng.choice(spans)
    i = rng.randrange(start + 4, max(start + 5, end))
    b = bytearray(data)
    if i >= len(b):
        return data
    kind = rng.randrange(5)
    if kind == 0:
        b[i] ^= 1 << rng.randrange(8)
    elif kind == 1:
        b[i] = rng.choice([0, 0xFF, 1, 0x7F, 0x80])
    elif kind == 2:
        b[i] = (b[i] + rng.choice([-2, -1, 1, 2, 16, -16])) & 0xFF
    elif kind == 3:
        b[i:i + 4] = rng.choice([b"\xff\xff\xff\xff", b"\0\0\0\0"])[: len(b[i:i + 4])]
    else:
        del b[i]
    return bytes(b)


def record_in_child(record, path):
    """What the loader reached, from a forked child (8 s, 4 GiB); None when the child crashed or hung."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        signal.alarm(8)
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
        with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
            try:
                readings = record(path)
                result = {"globals": sorted({g for r in readings for g in r.globals}),
                          "calls": sorted({c for r in readings for c in r.calls}),
                          "members": sorted({m for r in readings for m in r.members})}
            except BaseException as error:  # the loader raised: nothing more reached
                result = {"error": repr(error)[:200]}
        os.write(write, json.dumps(result).encode())
        os._exit(0)
    os.close(write)
    chunks = []
    while chunk := os.read(read, 65536):
        chunks.append(chunk)
    os.close(read)
    _, status = os.waitpid(pid, 0)
    return json.loads(b"".join(chunks)) if status == 0 and chunks else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-file", type=int, default=20)
    parser.add_argument("--family", nargs="*", default=list(FAMILIES))
    args = parser.parse_args()
    rng = random.Random(args.seed)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    index = []
    for family in args.family:
        sources, record, how = FAMILIES[family]
        mutate = mutate_zip_header if how == "zip" else mutate_bytes
        for source in sorted(sources()):
            data = Path(source).read_bytes()
            for _ in range(args.per_file):
                mutant = data
                for _ in range(rng.randint(1, 3)):
                    mutant = mutate(mutant, rng)
                path = out / f"{len(index)}{Path(source).suffix or '.bin'}"
                path.write_bytes(mutant)
                reached = record_in_child(record, str(path))
                entry = {"file": str(path), "source": os.path.relpath(source, FIXTURES), "family": family}
                if reached is None:
                    entry["loaderCrashed"] = True
                else:
                    entry.update(reached)
                    entry["danger"] = [g for g in reached.get("globals", []) if g.startswith(DANGER)]
                index.append(entry)
                if len(index) % 100 == 0:  # a run the machine kills keeps what it recorded
                    (out / "index.json").write_text(json.dumps(index, indent=0) + "\n")
    (out / "index.json").write_text(json.dumps(index, indent=0) + "\n")
    live = sum(1 for entry in index if entry.get("danger"))
    print(f"{len(index)} mutants in {out}, {live} where a loader reaches a dangerous global")


if __name__ == "__main__":
    main()
