#!/usr/bin/env python3
"""Training epochs of nnc against PyTorch, side by side, alternating whole runs.

    /usr/bin/python3 bench/epochs.py simple --epochs 4 --rounds 3     # samples/fashion_cnn.nn
    /usr/bin/python3 bench/epochs.py bn --epochs 4 --rounds 3         # samples/fashion_cnn_bn.nn
    /usr/bin/python3 bench/epochs.py mlp --epochs 6 --rounds 3        # samples/mnist_mlp.nn
    /usr/bin/python3 bench/epochs.py fmlp --epochs 6 --rounds 3       # samples/fashion_mlp.nn
    /usr/bin/python3 bench/epochs.py simple --jar /tmp/old.jar ...    # another nnc build

Each round trains the model once with nnc (`nnc train FILE --epochs E`, a fresh JVM, into a
scratch run folder) and once with PyTorch (bench/cnn_torch.py or bench/mnist_torch.py: the
same network, data, optimizer, schedule and batch), the order flipping every round so a noisy
period slows both alike. Both sides time the training loop only. Per run: the first epoch and
the median of epochs 2 and later. Per round: the ratio nnc / torch of those medians (below 1:
nnc is faster) and nnc's first epoch over its later median. Prints a Markdown table with the
medians over rounds and their min-max, the test accuracies, and the load average before and
after (the machine is shared; see docs/performance.md).
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAVA = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"
MODELS = {
    "simple": ("samples/fashion_cnn.nn", ["bench/cnn_torch.py", "simple"]),
    "bn": ("samples/fashion_cnn_bn.nn", ["bench/cnn_torch.py", "bn"]),
    "mlp": ("samples/mnist_mlp.nn", ["bench/mnist_torch.py"]),
    "fmlp": ("samples/fashion_mlp.nn", ["bench/mnist_torch.py", "--data",
                                        os.path.expanduser("~/.cache/nnc/datasets/fashion_mnist"),
                                        "--mean", "0.2860", "--std", "0.3530"]),
}
EPOCH = re.compile(r"^epoch (\d+)/\d+ .*?([0-9.]+) s\b")
TEST = re.compile(r"test: loss=([0-9.]+) accuracy=([0-9.]+)")


def run(cmd, env=None):
    p = subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        raise SystemExit("%s failed (%d):\n%s" % (" ".join(cmd), p.returncode, p.stdout[-3000:]))
    times = [float(m.group(2)) for m in map(EPOCH.match, p.stdout.splitlines()) if m]
    acc = TEST.search(p.stdout)
    warm = re.search(r"warm-up[^\n]*", p.stdout)
    return times, float(acc.group(2)) if acc else float("nan"), warm.group(0) if warm else ""


def nnc(args, sample, out):
    if args.jar:
        cmd = [JAVA, "--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC", "-jar", args.jar]
    else:
        cmd = [os.path.join(ROOT, "nnc")]
    return run(cmd + ["train", sample, "--epochs", str(args.epochs), "--threads", str(args.threads),
                      "--out", out, "--overwrite"] + args.nnc_arg)


def torch(args, script):
    env = dict(os.environ, OPENBLAS_NUM_THREADS=args.openblas)
    return run([sys.executable] + script + ["--epochs", str(args.epochs), "--threads", str(args.threads)], env)


def spread(xs, fmt="%.2f"):
    return (fmt + " (" + fmt + "-" + fmt + ")") % (statistics.median(xs), min(xs), max(xs))


def load():
    return open("/proc/loadavg").read().split()[0]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model", choices=sorted(MODELS))
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--openblas", default="1", help="OPENBLAS_NUM_THREADS for torch (1 is its fastest here)")
    ap.add_argument("--jar", help="an nnc jar to run instead of ./nnc")
    ap.add_argument("--nnc-arg", action="append", default=[], help="an extra argument for nnc train")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    sample, script = MODELS[args.model]
    loads = [load()]
    rows = {"nnc": [], "torch": []}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.rounds):
            sides = [("nnc", lambda: nnc(args, sample, os.path.join(tmp, "run"))), ("torch", lambda: torch(args, script))]
            for name, side in sides if i % 2 == 0 else sides[::-1]:
                times, acc, warm = side()
                rows[name].append((times, acc, warm))
                if args.verbose:
                    print("round %d %s: %s  accuracy %.4f  %s" % (i + 1, name, " ".join("%.2f" % t for t in times),
                                                                  acc, warm), file=sys.stderr, flush=True)
    loads.append(load())

    def later(times):
        return statistics.median(times[1:] or times)

    ratio = [later(a[0]) / later(b[0]) for a, b in zip(rows["nnc"], rows["torch"])]
    print("%s, %d epochs per run, %d rounds, %d threads, load %s before, %s after" % (
        sample, args.epochs, args.rounds, args.threads, loads[0], loads[1]))
    print()
    print("| | epoch 2+ (median over rounds, min-max) | first epoch | first / later | test accuracy |")
    print("|---|---|---|---|---|")
    for name in ("nnc", "torch"):
        r = rows[name]
        print("| %s | %s s | %s s | %s | %s |" % (
            name, spread([later(t) for t, _, _ in r]), spread([t[0] for t, _, _ in r]),
            spread([t[0] / later(t) for t, _, _ in r]), " ".join("%.4f" % a for _, a, _ in r)))
    print()
    print("nnc / torch epoch time (epochs 2+, per round): %s" % spread(ratio))
    warm = [w for _, _, w in rows["nnc"] if w]
    if warm:
        print("nnc " + warm[0])


if __name__ == "__main__":
    main()
