#!/usr/bin/env python3
"""The Fashion-MNIST CNN samples trained by PyTorch, for comparison with nnc.

    /usr/bin/python3 bench/cnn_torch.py simple [--epochs 10] [--threads 2]   # samples/fashion_cnn.nn
    /usr/bin/python3 bench/cnn_torch.py bn [--epochs 15] [--threads 2]       # samples/fashion_cnn_bn.nn

Same networks, data, normalisation, augmentation, optimizer, schedule and batch as the .nn
files (`simple`: the tutorial's SimpleCNN, Adam 1e-3, batch 64; `bn`: ConvBn blocks, SGD with
Nesterov momentum and weight decay, batch 128; both: random crop with 2 pixels of zero
padding and a horizontal flip with probability 1/2 per image, the last 10% of the training
set held out for validation, cosine schedule). Like nnc, an epoch's time covers
the training loop only (the shuffled copy of the training set, augmentation and the steps);
evaluation after each epoch is untimed. Prints one line per epoch, then the median epoch
time over epochs 2 and later, the first epoch's time and the final accuracy.

torch runs its own intra-op threads (OpenMP); OpenBLAS threads on top of them oversubscribe
the two cores, so OPENBLAS_NUM_THREADS defaults to 1 (bench/peer.py, performance.md).
"""
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import gzip
import statistics
import struct
import time

import numpy as np
import torch
from torch import nn

MEAN, STD = 0.2860, 0.3530


def idx(path):
    opener = gzip.open if not os.path.exists(path) else open
    with opener(path if opener is open else path + ".gz", "rb") as f:
        data = f.read()
    zero, kind, dims = struct.unpack(">HBB", data[:4])
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def simple_cnn():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 5 * 5, 128), nn.ReLU(), nn.Linear(128, 10))


def conv_bn(cin, cout):
    return [nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU()]


def bn_cnn():
    return nn.Sequential(
        *conv_bn(1, 32), *conv_bn(32, 32), nn.MaxPool2d(2),
        *conv_bn(32, 64), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.BatchNorm1d(128), nn.ReLU(), nn.Dropout(0.3),
        nn.Linear(128, 10))


def random_crop(xb, pad, gen):
    """Each image shifted by its own (dy, dx) in [-pad, pad], zeros shifted in (nnc's random_crop)."""
    n, c, h, w = xb.shape
    padded = nn.functional.pad(xb, (pad, pad, pad, pad))
    dy = torch.randint(0, 2 * pad + 1, (n,), generator=gen)
    dx = torch.randint(0, 2 * pad + 1, (n,), generator=gen)
    rows = (dy[:, None] + torch.arange(h)[None, :])[:, None, :, None].expand(n, c, h, w)
    cols = (dx[:, None] + torch.arange(w)[None, :])[:, None, None, :].expand(n, c, h, w)
    flat = padded.reshape(n, c, -1)
    return torch.gather(flat, 2, (rows * (w + 2 * pad) + cols).reshape(n, c, -1)).reshape(n, c, h, w)


def hflip(xb, gen):
    """Each image mirrored left to right with probability 1/2 (nnc's hflip)."""
    flip = torch.randint(0, 2, (len(xb),), generator=gen).bool()[:, None, None, None]
    return torch.where(flip, xb.flip(3), xb)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model", choices=["simple", "bn"])
    ap.add_argument("--epochs", type=int, default=None, help="default: the .nn file's (15 simple, 20 bn)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--data", default=os.path.expanduser("~/.cache/nnc/datasets/fashion_mnist"))
    args = ap.parse_args()
    bn = args.model == "bn"
    epochs = args.epochs or (20 if bn else 15)
    torch.set_num_threads(args.threads)
    torch.manual_seed(7 if bn else 42)
    gen = torch.Generator().manual_seed(1)

    def load(images, labels):
        x = idx(os.path.join(args.data, images)).reshape(-1, 1, 28, 28).astype(np.float32) / 255.0
        x = (x - MEAN) / STD
        return torch.from_numpy(x), torch.from_numpy(idx(os.path.join(args.data, labels)).astype(np.int64))

    x, y = load("train-images-idx3-ubyte", "train-labels-idx1-ubyte")
    tx, ty = load("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
    held = round(len(x) * 0.1)  # both samples: validate split: 0.1, the last tenth (as nnc holds it out)
    vx, vy = x[len(x) - held:], y[len(y) - held:]
    x, y = x[:len(x) - held], y[:len(y) - held]
    if bn:
        model = bn_cnn()
        opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True, weight_decay=5e-4)
        batch = 128
    else:
        model = simple_cnn()
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        batch = 64
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs)
    loss_fn = nn.CrossEntropyLoss()

    def evaluate(ex, ey):
        model.eval()
        loss, correct = 0.0, 0
        with torch.no_grad():
            for i in range(0, len(ex), 512):
                out = model(ex[i:i + 512])
                loss += loss_fn(out, ey[i:i + 512]).item() * len(out)
                correct += (out.argmax(1) == ey[i:i + 512]).sum().item()
        return loss / len(ex), correct / len(ex)

    times = []
    for epoch in range(epochs):
        model.train()
        t0 = time.perf_counter()
        order = torch.randperm(len(x))
        xs, ys = x[order], y[order]  # one gather per epoch; batches are then contiguous slices
        for i in range(0, len(x), batch):
            xb = xs[i:i + batch]
            xb = hflip(random_crop(xb, 2, gen), gen)  # both samples: random_crop(pad: 2) | hflip
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xb), ys[i:i + batch])
            loss.backward()
            opt.step()
        times.append(time.perf_counter() - t0)
        sched.step()
        vloss, vacc = evaluate(vx, vy)
        print("epoch %d/%d  val_loss %.4f  val_accuracy %.4f  %.2f s" % (epoch + 1, epochs, vloss, vacc, times[-1]),
              flush=True)
    later = times[1:] or times
    print("torch %s, %d threads: median epoch %.2f s (epochs 2-%d, %.2f-%.2f), first epoch %.2f s" % (
        torch.__version__, args.threads, statistics.median(later), epochs, min(later), max(later), times[0]))
    loss, acc = evaluate(tx, ty)
    print("test: loss=%.4f accuracy=%.4f" % (loss, acc))


if __name__ == "__main__":
    main()
