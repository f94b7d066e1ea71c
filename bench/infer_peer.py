#!/usr/bin/env python3
"""PyTorch as a peer of bench/compare_infer.py: "run BATCH THREADS RUNS" answers the median
seconds per call, "output BATCH" the outputs, "quit". One process per thread count (set
OPENBLAS_NUM_THREADS and OMP_NUM_THREADS to it as well).

    /usr/bin/python3 bench/infer_peer.py mlp|cnn WEIGHTS.nnw eager|mkldnn THREADS [IMAGES.idx]

eager: the module under torch.no_grad() (inference_mode). mkldnn: weights and input converted
to oneDNN's layout (torch.utils.mkldnn), the input converted on every call and the output
back to a dense tensor, as an application would.
"""
import sys
import time

import torch
import torch.utils.mkldnn

from infer_models import Served, inputs, read_nnw


def main():
    kind, weights, mode, threads = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    images = sys.argv[5] if len(sys.argv) > 5 else None
    torch.set_num_threads(threads)
    model = Served(kind, read_nnw(weights))
    if mode == "mkldnn":
        net = torch.utils.mkldnn.to_mkldnn(model.net)

        def predict(x):
            y = net((x * model.scale + model.shift).to_mkldnn())
            return torch.softmax(y.to_dense(), dim=1)
    else:
        def predict(x):
            return model(x)
    cache = {}
    for line in sys.stdin:
        w = line.split()
        if not w:
            continue
        if w[0] == "quit":
            break
        try:
            batch = int(w[1])
            x = cache.setdefault(batch, inputs(kind, batch, images))
            with torch.inference_mode():
                if w[0] == "output":
                    print(" ".join(repr(float(v)) for v in predict(x).flatten()))
                else:
                    runs = int(w[3])
                    t = []
                    for _ in range(runs):
                        t0 = time.perf_counter()
                        predict(x)
                        t.append(time.perf_counter() - t0)
                    t.sort()
                    print(t[runs // 2])
        except Exception as e:  # answer, so the driver does not hang
            print("error %r" % e)
        sys.stdout.flush()


if __name__ == "__main__":
    main()
