#!/usr/bin/python3
"""Side-by-side: stdlib/embed word2vec vs gensim on the same corpus, same run.

    /usr/bin/python3 bench/word2vec/compare.py CORPUS [-arch sg,cbow] [-repeat 1] [-epochs 5] [-workers 2]
    /usr/bin/python3 bench/word2vec/compare.py -doc2vec DOCS -labels LABELS [-epochs 20]

For each architecture it alternates the Go command and the gensim peer
(repeat times, so both see the same machine load), then prints the median
words/s of each and the ratio gonbml/gensim, on wall time and on CPU time
(words per CPU-second, which is robust when other jobs share the cores).
The nearest neighbours of whale, ship, president, war from the last run of
each are printed too.

With -doc2vec it compares PV-DBOW instead: `go run ./bench/docembed -method
pvdbow` against gensim's Doc2Vec(dm=0) on one document per line, both
reporting 5-fold kNN (k=5, cosine) accuracy on LABELS.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
WORDS = "whale,ship,president,war"


def run(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("corpus", nargs="?")
    p.add_argument("-doc2vec", default="")
    p.add_argument("-labels", default="")
    p.add_argument("-arch", default="sg,cbow")
    p.add_argument("-repeat", type=int, default=1)
    p.add_argument("-epochs", type=int, default=5)
    p.add_argument("-workers", type=int, default=2)
    a = p.parse_args()
    if a.doc2vec:
        return doc2vec(a)
    corpus = os.path.abspath(a.corpus)
    tmp = tempfile.mkdtemp()
    gobin = os.path.join(tmp, "word2vec")
    subprocess.run(["go", "build", "-o", gobin, "./bench/word2vec"], check=True, cwd=ROOT)
    common = ["-corpus", corpus, "-dim", "100", "-window", "5", "-negative", "5", "-min-count", "5",
              "-epochs", str(a.epochs), "-workers", str(a.workers), "-neighbors", WORDS]
    report = {}
    for arch in a.arch.split(","):
        runs = {"gonbml": [], "gensim": []}
        for _ in range(a.repeat):
            runs["gonbml"].append(run([gobin, "-arch", arch] + common))
            runs["gensim"].append(run(["/usr/bin/python3", os.path.join(ROOT, "bench/peers/w2v_gensim.py"), "-arch", arch] + common))
        row = {}
        for impl, rs in runs.items():
            words = rs[0]["corpus_words"] * a.epochs
            row[impl] = {
                "words_per_sec": statistics.median(r["words_per_sec"] for r in rs),
                "words_per_cpu_sec": statistics.median(words / r["cpu_seconds"] for r in rs),
                "train_seconds": statistics.median(r["train_seconds"] for r in rs),
                "vocab": rs[-1]["vocab"], "impl": rs[-1]["impl"], "neighbors": rs[-1]["neighbors"],
            }
        row["ratio_wall"] = row["gonbml"]["words_per_sec"] / row["gensim"]["words_per_sec"]
        row["ratio_cpu"] = row["gonbml"]["words_per_cpu_sec"] / row["gensim"]["words_per_cpu_sec"]
        report[arch] = row
        print(f"{arch}: gonbml {row['gonbml']['words_per_sec']:,.0f} words/s, "
              f"{row['gensim']['impl']} {row['gensim']['words_per_sec']:,.0f} words/s, "
              f"ratio {row['ratio_wall']:.2f} (per CPU-second: {row['ratio_cpu']:.2f})", flush=True)
        for w in WORDS.split(","):
            print(f"  {w:10s} gonbml: {', '.join(row['gonbml']['neighbors'][w] or [])}")
            print(f"  {'':10s} gensim: {', '.join(row['gensim']['neighbors'][w] or [])}")
    print(json.dumps(report))


def doc2vec(a):
    docs, labels = os.path.abspath(a.doc2vec), os.path.abspath(a.labels)
    tmp = tempfile.mkdtemp()
    gobin = os.path.join(tmp, "docembed")
    subprocess.run(["go", "build", "-o", gobin, "./bench/docembed"], check=True, cwd=ROOT)
    common = ["-dim", "100", "-window", "5", "-min-count", "5", "-epochs", str(a.epochs),
              "-workers", str(a.workers), "-labels", labels]
    go = run([gobin, "-method", "pvdbow", "-in", docs] + common)
    gs = run(["/usr/bin/python3", os.path.join(ROOT, "bench/peers/w2v_gensim.py"), "-arch", "dbow", "-corpus", docs,
              "-negative", "5"] + common)
    ratio = gs["train_seconds"] / go["train_seconds"]
    print(f"pvdbow: gonbml {go['train_seconds']:.1f} s (accuracy {go['accuracy']:.3f}), "
          f"{gs['impl']} {gs['train_seconds']:.1f} s (accuracy {gs['accuracy']:.3f}), speed ratio {ratio:.2f}")
    print(json.dumps({"gonbml": go, "gensim": gs, "ratio": ratio}))


if __name__ == "__main__":
    sys.exit(main())
