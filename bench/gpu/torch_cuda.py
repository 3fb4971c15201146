#!/usr/bin/env python3
"""PyTorch on CUDA, side by side with Dendrite's `cuda` device in scripts/gpu-check.sh.

Runs the W4 (784-256-10 MLP, SGD 0.1) and W5 (LeNet, Adam 1e-3) jobs of the reference workloads for a number of
epochs on one CUDA device, and times float32 GEMM (TF32 off) for several sizes. Data, initial weights and batch
order come from the same counter-based SplitMix64 stream as Dendrite's Generator, so both sides train the identical
job. As in Dendrite's run, each batch is gathered on the host and copied to the device, and every step reads the
loss back (loss.item()). Prints one JSON object per job.

usage: torch_cuda.py --fashion DIR [--epochs 1] [--gemm 1024 2048 4096 8192] [--jobs w4 w5 gemm]
"""
import argparse
import gzip
import json
import os
import sys
import time

import numpy as np

GAMMA, MIX1, MIX2 = 0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB


class SplitMix64:
    """Output k (k = 1, 2, ...) of seed s is mix(s + k*GAMMA); every draw continues the stream."""

    def __init__(self, seed):
        self.seed = np.uint64(seed)
        self.used = 0

    def raw(self, n):
        k = np.arange(self.used + 1, self.used + n + 1, dtype=np.uint64)
        self.used += n
        with np.errstate(over="ignore"):
            z = self.seed + k * np.uint64(GAMMA)
            z = (z ^ (z >> np.uint64(30))) * np.uint64(MIX1)
            z = (z ^ (z >> np.uint64(27))) * np.uint64(MIX2)
            return z ^ (z >> np.uint64(31))

    def uniform(self, n, low, high):
        u = (self.raw(n) >> np.uint64(11)).astype(np.float64) / 9007199254740992.0
        return low + (high - low) * u

    def permutation(self, n):
        return np.argsort(self.raw(n), kind="stable")


def default_init(torch, model, rng):
    """U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for each Linear/Conv2d weight then bias, in module order."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (torch.nn.Linear, torch.nn.Conv2d)):
                bound = 1.0 / np.sqrt(m.weight[0].numel())
                for p in (m.weight, m.bias):
                    values = rng.uniform(p.numel(), -bound, bound).astype(np.float32).reshape(tuple(p.shape))
                    p.copy_(torch.from_numpy(values))


def read_idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(raw[3])]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * raw[3]).reshape(dims)


def fashion(directory):
    def images(name):
        return read_idx(os.path.join(directory, name)).astype(np.float32) / 255.0

    def labels(name):
        return read_idx(os.path.join(directory, name)).astype(np.int64)

    return (images("train-images-idx3-ubyte.gz"), labels("train-labels-idx1-ubyte.gz"),
            images("t10k-images-idx3-ubyte.gz"), labels("t10k-labels-idx1-ubyte.gz"))


def train(torch, device, model, opt, data, batch, epochs, shuffle):
    import torch.nn.functional as F

    xtr, ytr, xte, yte = data
    n = xtr.shape[0]
    seconds = []
    for _ in range(epochs):
        model.train()
        torch.cuda.synchronize()
        t0 = time.perf_counter()
        perm = torch.from_numpy(shuffle.permutation(n))
        for i in range(0, n, batch):
            idx = perm[i:i + batch]
            x, y = xtr[idx].to(device), ytr[idx].to(device)
            opt.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
            loss.item()
        torch.cuda.synchronize()
        seconds.append(time.perf_counter() - t0)
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, xte.shape[0], 1000):
            out = model(xte[i:i + 1000].to(device))
            correct += (out.argmax(1).cpu() == yte[i:i + 1000]).sum().item()
    return {"s_per_epoch": round(sum(seconds) / epochs, 4), "epoch_seconds": [round(s, 4) for s in seconds],
            "test_acc": round(correct / xte.shape[0], 4)}


def w4(torch, device, data, epochs):
    nn = torch.nn
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    default_init(torch, model, SplitMix64(20))
    model.to(device)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    xtr, ytr, xte, yte = data
    flat = (torch.from_numpy(xtr.reshape(-1, 784)), torch.from_numpy(ytr), torch.from_numpy(xte.reshape(-1, 784)), torch.from_numpy(yte))
    return train(torch, device, model, opt, flat, 256, epochs, SplitMix64(21))


def w5(torch, device, data, epochs):
    nn = torch.nn
    model = nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
    default_init(torch, model, SplitMix64(30))
    model.to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    xtr, ytr, xte, yte = data
    nchw = (torch.from_numpy(xtr.reshape(-1, 1, 28, 28)), torch.from_numpy(ytr), torch.from_numpy(xte.reshape(-1, 1, 28, 28)), torch.from_numpy(yte))
    return train(torch, device, model, opt, nchw, 256, epochs, SplitMix64(31))


def gemm(torch, device, sizes, reps=5):
    result = {}
    for n in sizes:
        a = torch.randn(n, n, device=device)
        b = torch.randn(n, n, device=device)
        c = a @ b
        torch.cuda.synchronize()
        times = []
        for _ in range(reps):
            t0 = time.perf_counter()
            c = a @ b
            torch.cuda.synchronize()
            times.append(time.perf_counter() - t0)
        median = sorted(times)[len(times) // 2]
        result["n%d" % n] = round(2.0 * n ** 3 / median / 1e9, 1)
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--fashion", default=os.environ.get("FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist"))
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--gemm", type=int, nargs="*", default=[1024, 2048, 4096, 8192])
    parser.add_argument("--jobs", nargs="*", default=["gemm", "w4", "w5"])
    args = parser.parse_args()
    import torch

    if not torch.cuda.is_available():
        print(json.dumps({"error": "torch.cuda.is_available() is false"}))
        return 1
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    device = torch.device("cuda")
    info = {"torch": torch.__version__, "device": torch.cuda.get_device_name(0)}
    if "gemm" in args.jobs:
        print(json.dumps(dict(info, job="gemm_gflops", **gemm(torch, device, args.gemm))), flush=True)
    data = fashion(args.fashion) if {"w4", "w5"} & set(args.jobs) else None
    for name, job in (("w4", w4), ("w5", w5)):
        if name in args.jobs:
            print(json.dumps(dict(info, job=name, epochs=args.epochs, **job(torch, device, data, args.epochs))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
