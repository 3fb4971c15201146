#!/usr/bin/env python3
"""Side-by-side table of a scripts/gpu-check.sh run: Dendrite on CUDA vs PyTorch on CUDA (markdown on stdout).

usage: summarize.py RESULTS_DIR   (the folder gpu-check.sh wrote: dendrite-gemm.jsonl, dendrite-w4.json, dendrite-w5.json,
torch.jsonl, parity.txt, gpu-tests.txt)
"""
import json
import os
import re
import sys


def lines(path):
    try:
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line.startswith("{"):
                    try:
                        yield json.loads(line)
                    except json.JSONDecodeError:
                        pass
    except FileNotFoundError:
        return


def last_line(path, pattern):
    try:
        with open(path) as f:
            found = [l.strip() for l in f if re.search(pattern, l)]
        return found[-1] if found else "(no result)"
    except FileNotFoundError:
        return "(not run)"


def main(results):
    dgemm = {r["n"]: r for r in lines(os.path.join(results, "dendrite-gemm.jsonl"))}
    torch = list(lines(os.path.join(results, "torch.jsonl")))
    tgemm = next((r for r in torch if r.get("job") == "gemm_gflops"), {})
    device = tgemm.get("device", "?")
    print(f"GPU: {device}; PyTorch {tgemm.get('torch', 'not available')}")
    print()
    print("| float32 GEMM n | Dendrite GFLOP/s | PyTorch GFLOP/s | Dendrite / PyTorch | target |")
    print("|---|---|---|---|---|")
    for n in sorted(dgemm):
        d = dgemm[n]["gflops"]
        t = tgemm.get("n%d" % n)
        ratio = "%.2f" % (d / t) if t else "-"
        print(f"| {n} | {d:.0f} | {t if t else '-'} | {ratio} | {'>= 0.50' if n == 4096 else ''} |")
    print()
    print("| workload (1 epoch) | Dendrite s/epoch | PyTorch s/epoch | Dendrite / PyTorch | target | test acc D / P |")
    print("|---|---|---|---|---|---|")
    for w, target in (("w4", "<= 2.0"), ("w5", "<= 1.5")):
        d = next(lines(os.path.join(results, f"dendrite-{w}.json")), {})
        t = next((r for r in torch if r.get("job") == w), {})
        ds, ts = d.get("s_per_epoch"), t.get("s_per_epoch")
        ratio = "%.2f" % (ds / ts) if ds and ts else "-"
        print(f"| {w.upper()} | {ds if ds else '-'} | {ts if ts else '-'} | {ratio} | {target} | {d.get('test_acc', '-')} / {t.get('test_acc', '-')} |")
    print()
    print("Parity: " + last_line(os.path.join(results, "parity.txt"), r"passed"))
    print("Gpu tests: " + last_line(os.path.join(results, "gpu-tests.txt"), r"passed"))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/gpu-check")
