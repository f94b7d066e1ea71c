#!/usr/bin/env python3
"""Wall time of one prediction from a model jar, from the command to its output.

    /usr/bin/python3 bench/jar_startup.py MODEL.jar IMAGE [--runs 10] [--java PATH]

Alternates, RUNS times each, so a noisy period hits every way alike:
  plain      java -jar MODEL.jar predict IMAGE          (scalar kernels in this JVM: a small job)
  relaunch   java -jar MODEL.jar predict --backend simd IMAGE   (a second JVM with the Vector API)
  module     java --add-modules jdk.incubator.vector -jar MODEL.jar predict IMAGE   (SIMD, one JVM)
  jvm        java -cp MODEL.jar nnc.runtime.serve.Usage  (a JVM that starts and fails at once: the floor)
Prints the median and min-max wall time of each in milliseconds, and the median CPU time
(user + system, all threads: JIT compilers and GC included), which a busy machine inflates
less than wall time. Relaunch minus module is what the relaunch itself costs.
"""
import argparse
import resource
import subprocess
import time

WAYS = {
    "plain": lambda java, jar, img: [java, "-jar", jar, "predict", img],
    "relaunch": lambda java, jar, img: [java, "-jar", jar, "predict", "--backend", "simd", img],
    "module": lambda java, jar, img: [java, "--add-modules", "jdk.incubator.vector", "-jar", jar, "predict", img],
    "jvm": lambda java, jar, img: [java, "-cp", jar, "nnc.runtime.serve.Usage"],
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("jar")
    ap.add_argument("image")
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--java", default="/usr/lib/jvm/temurin-25-jdk-amd64/bin/java")
    args = ap.parse_args()
    times = {w: [] for w in WAYS}
    cpu = {w: [] for w in WAYS}
    outputs = {}
    for _ in range(args.runs):
        for way, cmd in WAYS.items():
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            p = subprocess.run(cmd(args.java, args.jar, args.image), capture_output=True, text=True)
            times[way].append(time.perf_counter() - t0)
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[way].append(r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime)
            outputs[way] = (p.returncode, p.stdout.strip())
    print("| way | wall ms: median (min-max) | CPU ms: median | output |")
    print("|---|---|---|---|")
    for way, t in times.items():
        t.sort()
        c = sorted(cpu[way])
        print("| %s | %.0f (%.0f-%.0f) | %.0f | %s |" % (way, t[len(t) // 2] * 1e3, t[0] * 1e3, t[-1] * 1e3,
                                                       c[len(c) // 2] * 1e3, outputs[way][1][:60]
                                                       if outputs[way][0] == 0 else "exit %d" % outputs[way][0]))


if __name__ == "__main__":
    main()
