#!/usr/bin/env python3
"""nnc against native libraries on this machine, side by side in one run.

    /usr/bin/python3 bench/compare.py [--rounds 11] [--runs 10]

Starts `./nnc bench serve` and one peer process per thread count (bench/peer.py: numpy on
OpenBLAS for GEMM, torch with oneDNN for convolution), warms both up, then for every case
alternates: nnc times RUNS runs, the peer times RUNS runs, ROUNDS times. Each round gives a
ratio (peer time / nnc time: above 1 means nnc is faster); the table shows the median
ratio with its min-max, and the median GFLOP/s of each. A second table gives each library's
two-thread speedup over one thread on gemm 1024^3, from alternating rounds. Prints Markdown.

Between the two sides the driver pauses: idle worker threads of both libraries spin for a
while after a call (OpenBLAS up to 2^28 cycles, about 70 ms here; nnc about 1 ms) and would
otherwise take a core from the side being timed.
"""
import argparse
import os
import subprocess
import sys
import time

SWITCH_PAUSE = 0.3

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CASES = [
    # (label, request without threads/runs, flops, threads)
    ("gemm 1024x1024x1024", "gemm NN 1024 1024 1024", 2 * 1024 ** 3, 1),
    ("gemm 1024x1024x1024", "gemm NN 1024 1024 1024", 2 * 1024 ** 3, 2),
    ("MLP fwd X.W^T 64x256x784 (NT)", "gemm NT 64 256 784", 2 * 64 * 256 * 784, 2),
    ("MLP dX dY.W 64x784x256 (NN)", "gemm NN 64 784 256", 2 * 64 * 256 * 784, 2),
    ("MLP dW dY^T.X 256x784x64 (TN)", "gemm TN 256 784 64", 2 * 64 * 256 * 784, 2),
    ("MLP fwd 64x128x256 (NT)", "gemm NT 64 128 256", 2 * 64 * 128 * 256, 2),
    ("MLP dX 64x256x128 (NN)", "gemm NN 64 256 128", 2 * 64 * 128 * 256, 2),
    ("MLP dW 128x256x64 (TN)", "gemm TN 128 256 64", 2 * 64 * 128 * 256, 2),
    ("CNN conv1+conv2 fwd+bwd, batch 64", "conv 64", 2.0 * 64 * (2.0 * 32 * 26 * 26 * 9 + 3.0 * 64 * 11 * 11 * 288), 2),
]


class Worker:
    def __init__(self, cmd, env=None):
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                  text=True, env=env, cwd=ROOT)

    def ask(self, line):
        self.p.stdin.write(line + "\n")
        self.p.stdin.flush()
        answer = self.p.stdout.readline().strip()
        if not answer or answer.startswith("error"):
            raise RuntimeError("%s -> %r" % (line, answer))
        return answer

    def close(self):
        try:
            self.p.stdin.write("quit\n")
            self.p.stdin.flush()
        except BrokenPipeError:
            pass
        self.p.wait()


def median(xs):
    s = sorted(xs)
    return s[len(s) // 2]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=11)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--only", default="", help="run the cases whose label contains this text")
    ap.add_argument("--verbose", action="store_true", help="print every round's ratio")
    args = ap.parse_args()
    cases = [c for c in CASES if args.only in c[0]]

    nnc = Worker([os.path.join(ROOT, "nnc"), "bench", "serve"])
    peers = {}
    for t in sorted({c[3] for c in cases} | {1, 2}):
        env = dict(os.environ, OPENBLAS_NUM_THREADS=str(t), OMP_NUM_THREADS=str(t))
        peers[t] = Worker([sys.executable, os.path.join(ROOT, "bench", "peer.py")], env)
    print("peer: " + peers[max(peers)].ask("info"), file=sys.stderr)

    if cases:
        print("| case | threads | nnc GFLOP/s | peer GFLOP/s | peer | speed ratio nnc/peer: median (min-max) |")
        print("|---|---|---|---|---|---|")
    for label, request, flops, threads in cases:
        peer = peers[threads]
        name = "torch (oneDNN)" if request.startswith("conv") else "OpenBLAS (numpy)"
        q = "%s %d" % (request, threads)
        for _ in range(3):  # warm-up: JIT and caches on both sides
            nnc.ask(q + " %d" % args.runs)
            peer.ask(q + " %d" % args.runs)
        ratios, ours, theirs = [], [], []
        for _ in range(args.rounds):
            time.sleep(SWITCH_PAUSE)
            a = float(nnc.ask(q + " %d" % args.runs))
            time.sleep(SWITCH_PAUSE)
            b = float(peer.ask(q + " %d" % args.runs))
            ours.append(a)
            theirs.append(b)
            ratios.append(b / a)
            if args.verbose:
                print("  %s: nnc %.1f us, peer %.1f us" % (label, a * 1e6, b * 1e6), file=sys.stderr)
        print("| %s | %d | %.1f | %.1f | %s | %.2f (%.2f-%.2f) |" % (
            label, threads, flops / median(ours) / 1e9, flops / median(theirs) / 1e9, name,
            median(ratios), min(ratios), max(ratios)), flush=True)
    if not args.only or "scaling" in args.only:
        scaling(nnc, peers, args)
    nnc.close()
    for p in peers.values():
        p.close()


def scaling(nnc, peers, args):
    """Two threads against one on gemm 1024^3, each library against itself, alternating."""
    request = "gemm NN 1024 1024 1024"
    print()
    print("| scaling: gemm 1024x1024x1024 | 2-thread speedup over 1 thread: median (min-max) |")
    print("|---|---|")
    for name, side in (("nnc", lambda t: nnc), ("OpenBLAS (numpy)", lambda t: peers[t])):
        for t in (1, 2):
            side(t).ask("%s %d %d" % (request, t, args.runs))
        ratios = []
        for _ in range(args.rounds):
            times = {}
            for t in (1, 2):
                time.sleep(SWITCH_PAUSE)
                times[t] = float(side(t).ask("%s %d %d" % (request, t, args.runs)))
            ratios.append(times[1] / times[2])
        print("| %s | %.2f (%.2f-%.2f) |" % (name, median(ratios), min(ratios), max(ratios)), flush=True)


if __name__ == "__main__":
    main()
