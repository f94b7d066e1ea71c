"""The sample networks in PyTorch, with nnc's weights and its preprocessing and softmax, so that
every side of bench/compare_infer.py computes the same function: raw pixels 0-255 in,
class probabilities out.

    MLP  samples/mnist_mlp.nn   784 -> 256 -> 128 -> 10 (ReLU), MNIST normalize
    CNN  samples/fashion_cnn.nn conv 32, pool, conv 64, pool, 128, 10, Fashion-MNIST normalize
"""
import array
import struct

import torch
import torch.nn as nn

F32 = torch.float32

# name -> (input shape, mean, std, layer builder)
MODELS = {
    "mlp": ((784,), 0.1307, 0.3081),
    "cnn": ((1, 28, 28), 0.2860, 0.3530),
}


def read_nnw(path):
    """An nnc weights file (docs/formats.md): {tensor name: float32 tensor}."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"NNCW":
        raise ValueError("%s: not an nnc weights file" % path)
    pos = 16

    def string():
        nonlocal pos
        (n,) = struct.unpack_from(">H", data, pos)
        pos += 2
        s = data[pos:pos + n].decode("utf-8")
        pos += n
        return s

    string()  # model name
    (count,) = struct.unpack_from(">I", data, pos)
    pos += 4
    out = {}
    for _ in range(count):
        name = string()
        rank = data[pos]
        pos += 1
        dims = struct.unpack_from(">%dI" % rank, data, pos)
        pos += 4 * rank
        size = 1
        for d in dims:
            size *= d
        a = array.array("f")
        a.frombytes(data[pos:pos + 4 * size])
        a.byteswap()
        pos += 4 * size
        out[name] = torch.tensor(a, dtype=F32).reshape(dims)
    return out


class Served(nn.Module):
    """x * scale + shift (nnc's float arithmetic), the network, softmax."""

    def __init__(self, kind, weights):
        super().__init__()
        shape, mean, std = MODELS[kind]
        scale = torch.tensor(1.0, dtype=F32) / torch.tensor(255.0, dtype=F32) / torch.tensor(std, dtype=F32)
        shift = (torch.tensor(0.0, dtype=F32) - torch.tensor(mean, dtype=F32)) / torch.tensor(std, dtype=F32)
        self.register_buffer("scale", scale)
        self.register_buffer("shift", shift)
        if kind == "mlp":
            self.net = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
            names = ["linear_1", "linear_2", "linear_3"]
            layers = [self.net[0], self.net[2], self.net[4]]
        else:
            self.net = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(),
                                     nn.MaxPool2d(2), nn.Flatten(), nn.Linear(1600, 128), nn.ReLU(), nn.Linear(128, 10))
            names = ["conv2d_1", "conv2d_2", "linear_1", "linear_2"]
            layers = [self.net[0], self.net[3], self.net[7], self.net[9]]
        with torch.no_grad():
            for n, layer in zip(names, layers):
                layer.weight.copy_(weights[n + ".weight"])
                layer.bias.copy_(weights[n + ".bias"])
        self.eval()

    def forward(self, x):
        return torch.softmax(self.net(x * self.scale + self.shift), dim=1)


def inputs(kind, batch, images=None):
    """Row r is image r mod count of the IDX file `images` (raw bytes as floats), or without one
    x[i] = (37 i + 11) mod 256: as every side makes them."""
    shape = MODELS[kind][0]
    n = batch
    for d in shape:
        n *= d
    if images:
        pool = read_idx(images)
        size = n // batch
        rows = [pool[(r % (len(pool) // size)) * size:(r % (len(pool) // size) + 1) * size] for r in range(batch)]
        return torch.tensor([v for row in rows for v in row], dtype=F32).reshape((batch,) + shape)
    i = torch.arange(n, dtype=torch.int64)
    return ((37 * i + 11) % 256).to(F32).reshape((batch,) + shape)


def read_idx(path, most=1000):
    """The first `most` items of an uncompressed IDX file of unsigned bytes, flat, as ints."""
    with open(path, "rb") as f:
        head = f.read(4)
        dims = [struct.unpack(">i", f.read(4))[0] for _ in range(head[3])]
        size = 1
        for d in dims[1:]:
            size *= d
        return list(f.read(min(most, dims[0]) * size))
