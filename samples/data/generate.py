#!/usr/bin/env python3
"""Generates the small CSV datasets of the samples (seeded, so the files are reproducible).

    python3 samples/data/generate.py

neuron.csv  inputs a, b, c and the tutorial neuron's output relu(0.3a - 0.5b + 0.8c + 0.1)
moons.csv   two interleaving half circles with noise: x, y, label (0 or 1)
wave.csv    x1, x2 and target sin(3 x1) * cos(2 x2) + noise
"""
import math
import os
import random

here = os.path.dirname(os.path.abspath(__file__))


def write(name, header, rows):
    with open(os.path.join(here, name), "w") as f:
        f.write(",".join(header) + "\n")
        for r in rows:
            f.write(",".join(f"{v:.6g}" for v in r) + "\n")


rng = random.Random(7)

rows = []
for _ in range(600):
    a, b, c = (rng.uniform(-1, 1) for _ in range(3))
    rows.append((a, b, c, max(0.0, 0.3 * a - 0.5 * b + 0.8 * c + 0.1)))
write("neuron.csv", ["a", "b", "c", "output"], rows)

rows = []
for i in range(2000):
    label = i % 2
    t = rng.uniform(0, math.pi)
    if label == 0:
        x, y = math.cos(t), math.sin(t)
    else:
        x, y = 1 - math.cos(t), 0.5 - math.sin(t)
    rows.append((x + rng.gauss(0, 0.12), y + rng.gauss(0, 0.12), label))
rng.shuffle(rows)
write("moons.csv", ["x", "y", "label"], rows)

rows = []
for _ in range(4000):
    x1, x2 = rng.uniform(-1.5, 1.5), rng.uniform(-1.5, 1.5)
    rows.append((x1, x2, math.sin(3 * x1) * math.cos(2 * x2) + rng.gauss(0, 0.05)))
write("wave.csv", ["x1", "x2", "target"], rows)
