"""Peer for stdlib/chart's benchmarks: the same two charts drawn to a PNG
with matplotlib (Agg), the picture a Python notebook user would make.

Run with Debian's interpreter: /usr/bin/python3 bench/chart/peer_matplotlib.py
It prints one line per chart in Go's benchmark format (ns/op) so benchstat
can read both.
"""
import io
import math
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def scatter():
    # 2,000 points in 10 labels, as BenchmarkPrepareScatter.
    xs = [math.cos(i) * (i % 10) for i in range(2000)]
    ys = [math.sin(i) * (i % 10) for i in range(2000)]
    fig, ax = plt.subplots(figsize=(9, 4.2), dpi=100)  # 900x420 px
    for k in range(10):
        ax.scatter(xs[k::10], ys[k::10], s=12, label=chr(ord("a") + k))
    ax.set_title("latent")
    ax.legend()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def line():
    # 3 series of 500 points, as BenchmarkPrepareLine.
    fig, ax = plt.subplots(figsize=(9, 4.2), dpi=100)
    for s in range(3):
        ax.plot([math.exp(-i / 100) * (s + 1) for i in range(500)], label="series %d" % (s + 1))
    ax.set_title("loss")
    ax.legend()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def bench(name, fn, n=10):
    fn()  # warm up fonts and caches
    t0 = time.perf_counter()
    for _ in range(n):
        fn()
    ns = (time.perf_counter() - t0) / n * 1e9
    print("Benchmark%s-matplotlib \t%d\t%.0f ns/op" % (name, n, ns))


if __name__ == "__main__":
    bench("PrepareScatter", scatter)
    bench("PrepareLine", line)
