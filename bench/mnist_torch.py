#!/usr/bin/env python3
"""The MNIST sample (samples/mnist_mlp.nn) trained by PyTorch, for comparison with nnc.

    /usr/bin/python3 bench/mnist_torch.py [--epochs 20] [--threads 2] [--data DIR]

Same network (784-256-128-10, ReLU, dropout 0.3), same data and normalisation, Adam 1e-3,
batch 64 shuffled, cosine schedule over the epochs. Like nnc, an epoch's time covers the
training loop only (the shuffled copy of the training set, then contiguous batch slices); the test set is
evaluated after each epoch, untimed. Prints one line per epoch, then the median epoch time
and the final test accuracy in the form nnc's train command uses.
"""
import os

# torch runs its own intra-op threads; OpenBLAS threads on top of them oversubscribe the cores
# (2 torch threads + 2 OpenBLAS threads on 2 cores: 7.5 s an epoch instead of 1.9 s here).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import gzip
import statistics
import struct
import time

import numpy as np
import torch
from torch import nn


def idx(path):
    """An IDX file, or its .gz (how Fashion-MNIST is stored)."""
    if not os.path.exists(path) and os.path.exists(path + ".gz"):
        with gzip.open(path + ".gz", "rb") as f:
            data = f.read()
    else:
        with open(path, "rb") as f:
            data = f.read()
    zero, kind, dims = struct.unpack(">HBB", data[:4])
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--data", default=os.path.expanduser("~/.cache/nnc/datasets/mnist"))
    ap.add_argument("--mean", type=float, default=0.1307, help="normalisation (Fashion-MNIST: 0.2860)")
    ap.add_argument("--std", type=float, default=0.3081, help="normalisation (Fashion-MNIST: 0.3530)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(42)

    def load(images, labels):
        x = idx(os.path.join(args.data, images)).reshape(-1, 784).astype(np.float32) / 255.0
        x = (x - args.mean) / args.std
        return torch.from_numpy(x), torch.from_numpy(idx(os.path.join(args.data, labels)).astype(np.int64))

    x, y = load("train-images-idx3-ubyte", "train-labels-idx1-ubyte")
    tx, ty = load("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Dropout(0.3),
                          nn.Linear(256, 128), nn.ReLU(), nn.Dropout(0.3), nn.Linear(128, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=args.epochs)
    loss_fn = nn.CrossEntropyLoss()
    times = []
    for epoch in range(args.epochs):
        model.train()
        t0 = time.perf_counter()
        order = torch.randperm(len(x))
        xs, ys = x[order], y[order]  # one gather per epoch; batches are then contiguous slices
        for i in range(0, len(x), 64):
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xs[i:i + 64]), ys[i:i + 64])
            loss.backward()
            opt.step()
        times.append(time.perf_counter() - t0)
        sched.step()
        model.eval()
        with torch.no_grad():
            out = model(tx)
            acc = (out.argmax(1) == ty).float().mean().item()
            vloss = loss_fn(out, ty).item()
        print("epoch %d/%d  val_loss %.4f  val_accuracy %.4f  %.2f s" % (epoch + 1, args.epochs, vloss, acc, times[-1]),
              flush=True)
    print("torch %s: median epoch %.2f s" % (torch.__version__, statistics.median(times)))
    print("test: loss=%.4f accuracy=%.4f" % (vloss, acc))


if __name__ == "__main__":
    main()
