"""Generates optim_extra.jsonl: PyTorch 1.13 trajectories of Adadelta, Adamax and NAdam in optim.jsonl's format.

Run with /usr/bin/python3 (Debian's python3-torch) from this folder:  python3 make_optim_extra.py > optim_extra.jsonl

Each case: {"id", "optimizer", "hparams" (PyTorch's names, defaults written out), "a", "b", "params0", "steps",
"params": [parameters after step 1, 2, ...]}. Every step the gradient is that of sum(0.5·a·p² + b·p), i.e. a·p + b,
then one optimizer step, all in float64.

Before a case is written, the torch.optim trajectory is checked against a plain-Python transcription of the update
rule PyTorch documents (see the docs of torch.optim.Adadelta / Adamax / NAdam); they must agree to 1e-12 relative.
For NAdam the transcription follows PyTorch 1.13's implementation where it departs from the documented formula:
the second product is mu_product·mu_t·mu_{t+1} (mu_t twice) and mu_product is a float32 scalar (rounded at every
multiplication), which is what the 1.13 trajectories show.
"""
import json
import math
import struct

import torch

torch.manual_seed(1307)
STEPS = 10


def tensor(t):
    return {"shape": list(t.shape), "data": [float(v) for v in t.detach().reshape(-1).tolist()]}


def f32(x):
    return struct.unpack("f", struct.pack("f", x))[0]


def adadelta_rule(p, a, b, h):
    v = [0.0] * len(p)
    u = [0.0] * len(p)
    out = []
    for _ in range(STEPS):
        for i in range(len(p)):
            g = a[i] * p[i] + b[i] + h["weight_decay"] * p[i]
            v[i] = h["rho"] * v[i] + (1 - h["rho"]) * g * g
            delta = math.sqrt(u[i] + h["eps"]) / math.sqrt(v[i] + h["eps"]) * g
            u[i] = h["rho"] * u[i] + (1 - h["rho"]) * delta * delta
            p[i] -= h["lr"] * delta
        out.append(list(p))
    return out


def adamax_rule(p, a, b, h):
    b1, b2 = h["betas"]
    m = [0.0] * len(p)
    u = [0.0] * len(p)
    out = []
    for t in range(1, STEPS + 1):
        for i in range(len(p)):
            g = a[i] * p[i] + b[i] + h["weight_decay"] * p[i]
            m[i] = b1 * m[i] + (1 - b1) * g
            u[i] = max(b2 * u[i], abs(g) + h["eps"])
            p[i] -= h["lr"] * m[i] / ((1 - b1 ** t) * u[i])
        out.append(list(p))
    return out


def nadam_rule(p, a, b, h):
    b1, b2 = h["betas"]
    psi = h["momentum_decay"]
    m = [0.0] * len(p)
    v = [0.0] * len(p)
    product = 1.0
    out = []
    for t in range(1, STEPS + 1):
        mu = b1 * (1 - 0.5 * 0.96 ** (t * psi))
        mu_next = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * psi))
        product = f32(product * f32(mu))
        product_next = f32(f32(product * f32(mu)) * f32(mu_next))  # PyTorch 1.13: mu_t counted twice
        for i in range(len(p)):
            g = a[i] * p[i] + b[i] + h["weight_decay"] * p[i]
            m[i] = b1 * m[i] + (1 - b1) * g
            v[i] = b2 * v[i] + (1 - b2) * g * g
            denom = math.sqrt(v[i] / (1 - b2 ** t)) + h["eps"]
            p[i] -= h["lr"] * (1 - mu) / (1 - product) * g / denom
            p[i] -= h["lr"] * mu_next / (1 - product_next) * m[i] / denom
        out.append(list(p))
    return out


OPTIMIZERS = {
    "adadelta": (torch.optim.Adadelta, adadelta_rule),
    "adamax": (torch.optim.Adamax, adamax_rule),
    "nadam": (torch.optim.NAdam, nadam_rule),
}


def case(cid, name, hparams, shape):
    a = torch.rand(shape, dtype=torch.float64) + 0.5
    b = torch.randn(shape, dtype=torch.float64)
    p0 = torch.randn(shape, dtype=torch.float64) * 2
    p = p0.clone().requires_grad_(True)
    make, rule = OPTIMIZERS[name]
    opt = make([p], **hparams)
    params = []
    for _ in range(STEPS):
        opt.zero_grad()
        (0.5 * a * p ** 2 + b * p).sum().backward()
        opt.step()
        params.append(p.detach().clone())
    formula = rule(p0.reshape(-1).tolist(), a.reshape(-1).tolist(), b.reshape(-1).tolist(), hparams)
    for k in range(STEPS):
        for got, want in zip(params[k].reshape(-1).tolist(), formula[k]):
            assert abs(got - want) <= 1e-12 * abs(want) + 1e-15, f"{cid} step {k + 1}: torch {got!r}, formula {want!r}"
    hp = {k: list(v) if isinstance(v, tuple) else v for k, v in hparams.items()}
    print(json.dumps({"id": cid, "optimizer": name, "hparams": hp, "a": tensor(a), "b": tensor(b), "params0": tensor(p0),
                      "steps": STEPS, "params": [tensor(t) for t in params]}))


case("adadelta/1", "adadelta", {"lr": 1.0, "rho": 0.9, "eps": 1e-6, "weight_decay": 0.0}, [5])
case("adadelta/2", "adadelta", {"lr": 0.5, "rho": 0.95, "eps": 1e-6, "weight_decay": 0.1}, [2, 3])
case("adadelta/3", "adadelta", {"lr": 2.0, "rho": 0.5, "eps": 1e-4, "weight_decay": 0.0}, [7])
case("adamax/1", "adamax", {"lr": 2e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0}, [6])
case("adamax/2", "adamax", {"lr": 0.1, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.05}, [3, 4])
case("adamax/3", "adamax", {"lr": 0.05, "betas": (0.8, 0.99), "eps": 1e-6, "weight_decay": 0.0}, [2, 5])
case("nadam/1", "nadam", {"lr": 2e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0, "momentum_decay": 4e-3}, [5])
case("nadam/2", "nadam", {"lr": 0.1, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.1, "momentum_decay": 4e-3}, [3, 3])
case("nadam/3", "nadam", {"lr": 0.05, "betas": (0.85, 0.995), "eps": 1e-7, "weight_decay": 0.0, "momentum_decay": 0.01}, [2, 4])
