#!/usr/bin/env python3
"""The native peer for bench/compare.py: answers the same requests as `nnc bench serve`.

    gemm LAYOUT M N K THREADS RUNS   numpy matmul (OpenBLAS); LAYOUT NN, NT or TN
    conv BATCH THREADS RUNS          torch (oneDNN): the tutorial CNN's two conv layers,
                                     forward + backward, as `nnc bench conv` runs them

Start one process per thread count: OpenBLAS reads OPENBLAS_NUM_THREADS when it loads.
"""
import os
import sys
import time

threads = int(os.environ.get("OPENBLAS_NUM_THREADS", "1"))
import numpy as np  # noqa: E402
import torch  # noqa: E402

torch.set_num_threads(threads)
rng = np.random.default_rng(3)
prepared = {}


def prepare(words):
    if words[0] == "gemm":
        layout, m, n, k = words[1], int(words[2]), int(words[3]), int(words[4])
        a = rng.random((k, m) if layout[0] == "T" else (m, k), dtype=np.float32)
        b = rng.random((n, k) if layout[1] == "T" else (k, n), dtype=np.float32)
        ta = a.T if layout[0] == "T" else a
        tb = b.T if layout[1] == "T" else b
        return lambda: ta @ tb
    if words[0] == "conv":
        n = int(words[1])
        c1, c2 = torch.nn.Conv2d(1, 32, 3), torch.nn.Conv2d(32, 64, 3)
        x1 = torch.randn(n, 1, 28, 28)
        x2 = torch.randn(n, 32, 13, 13, requires_grad=True)
        g1, g2 = torch.randn(n, 32, 26, 26), torch.randn(n, 64, 11, 11)

        def step():
            torch.autograd.backward([c1(x1), c2(x2)], [g1, g2])
        return step
    raise ValueError("unknown request " + words[0])


for line in sys.stdin:
    words = line.split()
    if not words:
        continue
    if words[0] == "quit":
        break
    if words[0] == "info":
        print("numpy %s, torch %s, mkldnn %s, threads %d" % (np.__version__, torch.__version__,
              torch.backends.mkldnn.is_available(), threads), flush=True)
        continue
    key = " ".join(words[:-1])
    if key not in prepared:
        prepared[key] = prepare(words)
    f = prepared[key]
    runs = int(words[-1])
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    times.sort()
    print(times[runs // 2], flush=True)
