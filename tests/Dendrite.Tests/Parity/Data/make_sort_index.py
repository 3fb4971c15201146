"""Generates sort_index.jsonl: PyTorch 1.13 references for Tensor.Sort and advanced (integer-array) indexing.

Run with /usr/bin/python3 (Debian's python3-torch) from this folder:  python3 make_sort_index.py > sort_index.jsonl

Tensors are {"shape": [..], "data": [..]} (row-major); float data may hold the strings "nan", "inf", "-inf";
int64 tensors carry "dtype": "int64".

sort cases:  {"id", "kind": "sort", "x", "dim", "descending", "values", "indices", "grad_output", "grad"}
             torch.sort(x, dim, descending, stable=True); grad is d sum(values * grad_output) / dx (float x only).
index cases: {"id", "kind": "index", "x", "index": [item, ...], "output", "grad_output", "grad"}
             item: {"int": i} | {"slice": [start, stop]} (either may be null) | {"tensor": T (int64)};
             output = x[items]; grad = d sum(output * grad_output) / dx.
"""
import json
import math

import torch

torch.manual_seed(1913)


def tensor(t):
    t = t.detach()
    if t.dtype == torch.int64:
        return {"shape": list(t.shape), "dtype": "int64", "data": [int(v) for v in t.reshape(-1).tolist()]}
    out = []
    for v in t.double().reshape(-1).tolist():
        out.append("nan" if math.isnan(v) else "inf" if v == math.inf else "-inf" if v == -math.inf else v)
    return {"shape": list(t.shape), "data": out}


def ties(*shape, levels=5):
    return torch.randint(0, levels, shape).double() / 2 - 1


def sort_case(cid, x, dim, descending):
    floating = x.dtype.is_floating_point
    if floating:
        x = x.clone().requires_grad_(True)
    values, indices = torch.sort(x, dim=dim, descending=descending, stable=True)
    case = {"id": cid, "kind": "sort", "x": tensor(x), "dim": dim, "descending": descending,
            "values": tensor(values), "indices": tensor(indices)}
    if floating:
        g = torch.randn(values.shape, dtype=torch.float64)
        (values * g).sum().backward()
        case["grad_output"] = tensor(g)
        case["grad"] = tensor(x.grad)
    print(json.dumps(case))


def index_case(cid, shape, items):
    x = torch.randn(*shape, dtype=torch.float64, requires_grad=True)
    key = []
    spec = []
    for it in items:
        if isinstance(it, int):
            key.append(it)
            spec.append({"int": it})
        elif isinstance(it, slice):
            key.append(it)
            spec.append({"slice": [it.start, it.stop]})
        else:
            t = it if isinstance(it, torch.Tensor) else torch.tensor(it, dtype=torch.int64)
            key.append(t)
            spec.append({"tensor": tensor(t)})
    out = x[tuple(key)]
    g = torch.randn(out.shape, dtype=torch.float64)
    (out * g).sum().backward()
    print(json.dumps({"id": cid, "kind": "index", "x": tensor(x), "index": spec, "output": tensor(out),
                      "grad_output": tensor(g), "grad": tensor(x.grad)}))


nan, inf = math.nan, math.inf
special = torch.tensor([3.0, nan, 1.0, 3.0, -inf, 2.0, nan, 0.0, -0.0, inf, 1.0], dtype=torch.float64)
sort_case("sort/special", special, 0, False)
sort_case("sort/special-descending", special, 0, True)
sort_case("sort/ties-last-dim", ties(3, 7), 1, False)
sort_case("sort/ties-last-dim-descending", ties(3, 7), -1, True)
sort_case("sort/dim0", ties(5, 4), 0, False)
sort_case("sort/middle-dim-descending", ties(2, 9, 3), 1, True)
sort_case("sort/long-line", ties(100, levels=4), 0, False)
sort_case("sort/long-line-descending", ties(2, 65, levels=3), 1, True)
sort_case("sort/int64", torch.randint(-3, 4, (4, 6)), -1, False)
sort_case("sort/int64-descending-dim0", torch.randint(-3, 4, (6, 3)), 0, True)

index_case("index/course-y_hat", (2, 3), [[0, 1], [0, 2]])
index_case("index/one-array-first-dim", (4, 5), [[3, 0, 3, 1]])
index_case("index/repeated-middle", (3, 4, 5), [slice(None, None), [0, 2, 2, 2]])
index_case("index/separated", (3, 4, 5), [[0, 2], slice(None, None), [1, -1]])
index_case("index/int-then-adjacent", (3, 4, 5), [1, [0, 3], [4, 0]])
index_case("index/int-between-arrays", (2, 3, 4, 5), [[0, 1], 0, [0, 1]])
index_case("index/int-separates-by-selection", (2, 3, 4, 5), [[0, 1], slice(None, None), 0, [0, 1]])
index_case("index/broadcast-adjacent", (2, 3, 4, 5), [slice(None, None), [[0], [2]], [1, 3, 0]])
index_case("index/broadcast-separated", (2, 3, 4, 5), [[[1], [0]], slice(None, None), [0, 2, 3], slice(1, 3)])
index_case("index/0-d-array", (4, 5), [slice(None, None), torch.tensor(2)])
index_case("index/negative", (4, 5), [[-1, 0, -4, 3]])
index_case("index/range-then-array", (4, 5), [slice(1, 3), [4, 4, 0]])
index_case("index/empty", (3, 4), [[]])
index_case("index/2-d-last", (2, 3, 4), [slice(None, None), slice(None, None), [[0, 1], [2, 3]]])
index_case("index/ends", (2, 3, 4, 5), [[0, 1, 1], slice(None, None), slice(None, None), [0, 4, 4]])
index_case("index/int-range-array", (2, 3, 4), [0, slice(-2, None), [1, 1, 3]])
index_case("index/three-arrays", (3, 4, 5, 2), [[2, 0], [1, 3], [4, 4], slice(None, None)])
