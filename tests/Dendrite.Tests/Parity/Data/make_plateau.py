"""Generates plateau.jsonl: PyTorch 1.13 ReduceLROnPlateau schedules for every mode × threshold_mode combination.

Run with /usr/bin/python3 (Debian's python3-torch) from this folder:  python3 make_plateau.py > plateau.jsonl

Format as schedulers.jsonl: {"id", "scheduler": "reducelronplateau", "base_lr", "hparams" (PyTorch's names),
"metrics": [...], "lrs": [lr at epoch 0, then after each step(metrics[k])]}. The metric series mix clear
improvements, repeats, worse values and improvements between the relative and the absolute threshold, with positive
and negative values; each series is drawn until its schedule differs under the other threshold mode, so a case
fails if the two rules are confused.
"""
import json
import random

import torch

random.seed(42)
STEPS = 30


def series(mode, threshold, start):
    """A metric path that moves relative to the best value so far: clear improvements, improvements that lie
    between the relative threshold |best|·t and the absolute one t (better under one rule, bad under the other),
    tiny improvements below both, worse values and repeats."""
    better = 1 if mode == "max" else -1
    best = m = start
    out = []
    for _ in range(STEPS):
        rel, ab = abs(best) * threshold, threshold
        lo, hi = min(rel, ab), max(rel, ab)
        r = random.random()
        if r < 0.2:
            m = best + better * 3 * hi
        elif r < 0.5:
            m = best + better * (lo + hi) / 2
        elif r < 0.65:
            m = best + better * 0.3 * lo
        elif r < 0.8:
            m = best - better * 2 * hi
        m = round(m, 12)
        if (m - best) * better > 0:
            best = m
        out.append(m)
    return out


def schedule(base_lr, hparams, metrics):
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=base_lr)
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, **hparams)
    lrs = [opt.param_groups[0]["lr"]]
    for m in metrics:
        sched.step(m)
        lrs.append(opt.param_groups[0]["lr"])
    return lrs


def case(cid, base_lr, hparams, start):
    # Draw metric paths until one tells the rules apart (the other threshold mode gives another schedule).
    other = dict(hparams, threshold_mode="abs" if hparams["threshold_mode"] == "rel" else "rel")
    while True:
        metrics = series(hparams["mode"], hparams["threshold"], start)
        lrs = schedule(base_lr, hparams, metrics)
        if schedule(base_lr, other, metrics) != lrs:
            break
    print(json.dumps({"id": cid, "scheduler": "reducelronplateau", "base_lr": base_lr, "hparams": hparams,
                      "metrics": metrics, "lrs": lrs}))


n = 0
for mode in ("min", "max"):
    for threshold_mode in ("rel", "abs"):
        for threshold, start, patience, cooldown, min_lr, factor in (
                (1e-4, 25.0, 2, 0, 0.0, 0.5),
                (0.01, -40.0, 1, 1, 0.01, 0.5),     # negative metrics: "rel" compares against best·(1 ∓ t)
                (0.05, 0.05, 3, 2, 0.0, 0.1)):      # metrics far from 1 in size, so |best|·t and t differ
            n += 1
            hp = {"mode": mode, "factor": factor, "patience": patience, "threshold": threshold,
                  "threshold_mode": threshold_mode, "cooldown": cooldown, "min_lr": min_lr, "eps": 1e-8}
            case(f"reducelronplateau/{mode}-{threshold_mode}-{n}", 0.1, hp, start)
