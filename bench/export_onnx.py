#!/usr/bin/env python3
"""Exports a sample network with nnc's weights to ONNX (raw pixels in, probabilities out).

    /usr/bin/python3 bench/export_onnx.py mlp|cnn WEIGHTS.nnw OUT.onnx
"""
import sys

import torch

from infer_models import Served, inputs, read_nnw


def main():
    kind, weights, out = sys.argv[1:4]
    model = Served(kind, read_nnw(weights))
    torch.onnx.export(model, (inputs(kind, 2),), out, input_names=["x"], output_names=["p"],
                      dynamic_axes={"x": {0: "n"}, "p": {0: "n"}}, opset_version=13)


if __name__ == "__main__":
    main()
