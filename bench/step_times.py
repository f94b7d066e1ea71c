#!/usr/bin/env python3
"""Training-step times of two nnc builds, side by side: before (a jar) against after (a jar).

Each build runs the hidden `nnc bench fusion-side FILE` in its own JVM (compile, warm up,
print "ready", then answer each line holding a step count with milliseconds per step), on
the same synthetic batch. The two sides warm up one after the other, then alternate in
rounds (the order flips every round), so a noisy period slows both alike. Prints, per model,
the median ms/step of each side with its min-max over rounds, and the median ratio
after/before with its min-max (below 1: after is faster).

    /usr/bin/python3 bench/step_times.py                       # baseline jar vs this worktree
    /usr/bin/python3 bench/step_times.py --rounds 21 samples/mnist_mlp.nn
"""
import argparse
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAVA = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"


class Side:
    def __init__(self, java, jar, sample, batch, threads):
        self.name = jar
        cmd = [java, "--add-modules", "jdk.incubator.vector", "-jar", jar, "bench", "fusion-side", sample,
               "--batch", str(batch), "--threads", str(threads)]
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                  text=True, bufsize=1)
        line = self.p.stdout.readline().strip()
        if line != "ready":
            raise SystemExit(f"{jar}: expected 'ready', got {line!r}")

    def ms_per_step(self, steps):
        self.p.stdin.write(f"{steps}\n")
        self.p.stdin.flush()
        return float(self.p.stdout.readline())

    def close(self):
        self.p.stdin.close()
        self.p.wait(timeout=30)


def spread(xs):
    return f"{statistics.median(xs):.3f} ({min(xs):.3f}-{max(xs):.3f})"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("samples", nargs="*", default=["samples/mnist_mlp.nn", "samples/fashion_cnn.nn"])
    ap.add_argument("--before", default="/work/baseline/nnc-b51236a.jar")
    ap.add_argument("--after", default=os.path.join(ROOT, "compiler/target/nnc.jar"))
    ap.add_argument("--java", default=JAVA)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--seconds", type=float, default=1.0, help="about how long each side steps per round")
    args = ap.parse_args()
    print(f"before: {args.before}\nafter:  {args.after}\nbatch {args.batch}, {args.threads} threads, "
          f"{args.rounds} rounds\n")
    print(f"{'model':<24} {'before ms/step':>24} {'after ms/step':>24} {'after/before':>20}")
    for sample in args.samples:
        path = os.path.join(ROOT, sample) if not os.path.isabs(sample) else sample
        before = Side(args.java, args.before, path, args.batch, args.threads)
        after = Side(args.java, args.after, path, args.batch, args.threads)
        try:
            probe = before.ms_per_step(5)
            steps = max(5, int(args.seconds * 1000 / probe))
            b, a, r = [], [], []
            for i in range(args.rounds):
                if i % 2 == 0:
                    tb = before.ms_per_step(steps)
                    ta = after.ms_per_step(steps)
                else:
                    ta = after.ms_per_step(steps)
                    tb = before.ms_per_step(steps)
                b.append(tb)
                a.append(ta)
                r.append(ta / tb)
                if sys.stderr.isatty():
                    print(f"\r{sample}: round {i + 1}/{args.rounds}", end="", file=sys.stderr, flush=True)
            if sys.stderr.isatty():
                print("\r", end="", file=sys.stderr)
            print(f"{os.path.basename(sample):<24} {spread(b):>24} {spread(a):>24} {spread(r):>20}   ({steps} steps/round)")
        finally:
            before.close()
            after.close()


if __name__ == "__main__":
    main()
