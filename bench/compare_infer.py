#!/usr/bin/env python3
"""Inference: nnc against ONNX Runtime Java and PyTorch, side by side in one run.

    /usr/bin/python3 bench/compare_infer.py [--rounds 11] [--only MLP] [--synthetic]

For each sample network (the MNIST MLP, the Fashion-MNIST CNN) the driver asks
`./nnc bench infer FILE --serve` to save its (random) weights, exports the same network with
those weights to ONNX (bench/export_onnx.py, through PyTorch), and starts the peers:

  ORT call   ONNX Runtime Java, per call: tensor from a float[], run, output to float[][]
  ORT run    ONNX Runtime Java, session.run alone on a tensor made once
  torch      PyTorch eager (inference_mode)
  mkldnn     PyTorch with the weights in oneDNN's layout (torch.utils.mkldnn)

Every side computes the same function, raw pixels 0-255 to class probabilities (nnc's
preprocessing and softmax are in the exported graph), on the same inputs: the first 1000 test
images of the model's dataset (MNIST for the MLP, Fashion-MNIST for the CNN; ./nnc fetch mnist
fashion_mnist), batch row r being image r; nnc's batch of one moves to the next image on every
call (what an application classifying a stream of images does), the peers' computations do not
depend on the values. --synthetic uses x[i] = (37 i + 11) mod 256 instead, which no image
resembles: no black background, so nnc's sparse first layer never runs. The driver checks that
the outputs agree and prints the largest difference. Then for each case it alternates: nnc times RUNS calls and
answers the median, each peer does the same, ROUNDS times. The table gives each side's median
over rounds (latency for batch 1, images/s for larger batches) and nnc's speed ratio against
each peer (above 1: nnc is faster), median with min-max over rounds. Prints Markdown.

For batch 1 a further side takes its turn in the same rounds: "read weights"
(bench/WeightsRead.java), one core reading the model's weights once with nothing else to do.
A dense prediction of one sample reads every weight once, so the column "ceiling" (the
fastest peer's time over that read, per round) is the most a dense implementation could be
faster than the peers at batch 1 on this machine. nnc's first linear layer reads only the
weights of an image's non-black pixels (a fifth of an MNIST digit's), so it can pass it.

Needs: apt-get install python3-torch libopenblas0-pthread, and the ONNX Runtime jar in
~/.m2 (mvn dependency:get -Dartifact=com.microsoft.onnxruntime:onnxruntime:1.20.0).
"""
import argparse
import glob
import gzip
import os
import struct
import subprocess
import sys
import tempfile
import time

from compare import Worker, median

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
SWITCH_PAUSE = 0.2
JAVA = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"
OUTPUT_TOLERANCE = 1e-4

MODELS = {
    "MLP": ("mlp", "samples/mnist_mlp.nn", "784"),
    "CNN": ("cnn", "samples/fashion_cnn.nn", "1,28,28"),
}
# The test images of each model's dataset (./nnc fetch mnist fashion_mnist), the inputs of every side.
IMAGES = {
    "MLP": "~/.cache/nnc/datasets/mnist/t10k-images-idx3-ubyte",
    "CNN": "~/.cache/nnc/datasets/fashion_mnist/t10k-images-idx3-ubyte",
}
# (model, batch, threads, runs per round)
CASES = [("MLP", 1, 1, 2000), ("MLP", 256, 1, 20), ("MLP", 256, 2, 40), ("CNN", 1, 1, 300), ("CNN", 256, 1, 2),
         ("CNN", 256, 2, 4)]
PEERS = ["ORT call", "ORT run", "torch", "mkldnn"]


def ort_jar():
    jars = sorted(glob.glob(os.path.expanduser("~/.m2/repository/com/microsoft/onnxruntime/onnxruntime/*/*.jar")))
    if not jars:
        sys.exit("no ONNX Runtime jar: mvn dependency:get -Dartifact=com.microsoft.onnxruntime:onnxruntime:1.20.0")
    return jars[-1]


def images(label, tmp):
    """The model's test images as an uncompressed IDX file (the first 1000), or None (--synthetic)."""
    path = os.path.expanduser(IMAGES[label])
    for candidate in (path, path + ".gz"):
        if os.path.exists(candidate):
            opener = gzip.open if candidate.endswith(".gz") else open
            with opener(candidate, "rb") as f:
                head = f.read(16)
                rows, cols = struct.unpack(">ii", head[8:16])
                body = f.read(1000 * rows * cols)
            out = os.path.join(tmp, label + "-images.idx")
            with open(out, "wb") as f:
                f.write(head[:4] + struct.pack(">iii", len(body) // (rows * cols), rows, cols) + body)
            return out
    sys.exit("no test images at %s: ./nnc fetch mnist fashion_mnist (or --synthetic)" % path)


def start(label, threads_needed, tmp, synthetic):
    kind, nn, shape = MODELS[label]
    idx = None if synthetic else images(label, tmp)
    extra = [] if idx is None else [idx]
    nnc = Worker([os.path.join(ROOT, "nnc"), "bench", "infer", nn, "--serve"] + (["--images", idx] if idx else []))
    weights = os.path.join(tmp, kind + ".nnw")
    onnx = os.path.join(tmp, kind + ".onnx")
    nnc.ask("save " + weights)
    subprocess.run([sys.executable, os.path.join(BENCH, "export_onnx.py"), kind, weights, onnx], check=True,
                   cwd=BENCH, stderr=subprocess.DEVNULL)
    jar = ort_jar()
    peers = {"ORT call": {}, "ORT run": {}, "torch": {}, "mkldnn": {}}
    ort_call = Worker([JAVA, "-cp", jar, os.path.join(BENCH, "OrtPeer.java"), onnx, "call", shape] + extra)
    ort_run = Worker([JAVA, "-cp", jar, os.path.join(BENCH, "OrtPeer.java"), onnx, "run", shape] + extra)
    for t in threads_needed:
        peers["ORT call"][t] = ort_call
        peers["ORT run"][t] = ort_run
        env = dict(os.environ, OPENBLAS_NUM_THREADS=str(t), OMP_NUM_THREADS=str(t), PYTHONPATH=BENCH)
        for mode, name in (("eager", "torch"), ("mkldnn", "mkldnn")):
            peers[name][t] = Worker([sys.executable, os.path.join(BENCH, "infer_peer.py"), kind, weights, mode,
                                           str(t)] + extra, env)
    reader = Worker([JAVA, "--add-modules", "jdk.incubator.vector", os.path.join(BENCH, "WeightsRead.java"), weights])
    return nnc, peers, reader


def check(label, nnc, peers):
    ours = [float(v) for v in nnc.ask("output 4").split()]
    worst = 0.0
    for name, by_threads in peers.items():
        theirs = [float(v) for v in next(iter(by_threads.values())).ask("output 4").split()]
        diff = max(abs(a - b) for a, b in zip(ours, theirs))
        worst = max(worst, diff)
        print("%s: %s against nnc, largest difference in probabilities %.2e" % (label, name, diff), file=sys.stderr)
    if worst > OUTPUT_TOLERANCE:
        sys.exit("%s: the sides compute different functions (difference %.2e)" % (label, worst))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=11)
    ap.add_argument("--only", default="", help="run the cases of this model (MLP or CNN)")
    ap.add_argument("--synthetic", action="store_true",
                    help="inputs x[i] = (37 i + 11) mod 256 instead of the dataset's test images")
    args = ap.parse_args()
    print("| model | batch | threads | unit | nnc | ORT call | ORT run | torch | mkldnn | nnc / fastest peer: "
          "median (min-max) | read weights | ceiling: fastest peer / read |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for label in MODELS:
            if args.only and args.only != label:
                continue
            cases = [c for c in CASES if c[0] == label]
            nnc, peers, reader = start(label, sorted({c[2] for c in cases}), tmp, args.synthetic)
            check(label, nnc, peers)
            for _, batch, threads, runs in cases:
                run_case(label, batch, threads, runs, nnc, peers, reader if batch == 1 else None, args.rounds)
            nnc.close()
            reader.close()
            for by_threads in peers.values():
                for w in set(by_threads.values()):
                    w.close()


def run_case(label, batch, threads, runs, nnc, peers, reader, rounds):
    q = "run %d %d %d" % (batch, threads, runs)
    sides = [("nnc", nnc)] + [(name, peers[name][threads]) for name in PEERS]
    if reader:
        sides.append(("read", reader))
    for _, w in sides:  # warm-up: JIT, caches, thread pools on every side
        for _ in range(3):
            w.ask(q)
    times = {name: [] for name, _ in sides}
    for _ in range(rounds):
        for name, w in sides:
            time.sleep(SWITCH_PAUSE)
            times[name].append(float(w.ask(q)))
    ratios = []  # per round: the fastest peer's time over nnc's
    for r in range(rounds):
        ratios.append(min(times[p][r] for p in PEERS) / times["nnc"][r])
    latency = batch == 1

    def show(name):
        t = median(times[name])
        return "%.1f" % (t * 1e6) if latency else "%.1fk" % (batch / t / 1e3)

    ceiling = "- | -"
    if reader:
        most = [min(times[p][r] for p in PEERS) / times["read"][r] for r in range(rounds)]
        ceiling = "%s | %.2f (%.2f-%.2f)" % (show("read"), median(most), min(most), max(most))
    print("| %s | %d | %d | %s | %s | %s | %.2f (%.2f-%.2f) | %s |" % (
        label, batch, threads, "us per call" if latency else "images/s", show("nnc"),
        " | ".join(show(p) for p in PEERS), median(ratios), min(ratios), max(ratios), ceiling), flush=True)


if __name__ == "__main__":
    main()
