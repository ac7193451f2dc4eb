#!/usr/bin/python3
"""Peer for bench/word2vec: the same training with Debian's python3-gensim.

Run with Debian's interpreter:
    /usr/bin/python3 bench/peers/w2v_gensim.py -corpus FILE -arch sg|cbow -dim 100 \
        -window 5 -negative 5 -min-count 5 -epochs 5 -workers 2 -out VECTORS.txt \
        -neighbors whale,ship,president,war

With -arch dbow or dm the corpus is read as one document per line and
gensim's Doc2Vec is trained instead (the peer of `go run ./bench/docembed
-method pvdbow|pvdm`); -labels FILE then reports 5-fold kNN (k=5, cosine)
accuracy of the document vectors when scikit-learn is installed.

Prints one JSON line with the same keys as `go run ./bench/word2vec`:
words_per_sec is corpus tokens times epochs over the training time (the
vocabulary pass excluded); cpu_seconds is the process CPU time of training.
"""
import argparse
import json
import logging
import resource
import sys
import time


def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main():
    p = argparse.ArgumentParser()
    p.add_argument("-corpus", required=True)
    p.add_argument("-arch", default="sg", choices=["sg", "cbow", "dbow", "dm"])
    p.add_argument("-dim", type=int, default=100)
    p.add_argument("-window", type=int, default=5)
    p.add_argument("-negative", type=int, default=5)
    p.add_argument("-min-count", type=int, default=5, dest="min_count")
    p.add_argument("-sample", type=float, default=1e-3)
    p.add_argument("-epochs", type=int, default=5)
    p.add_argument("-workers", type=int, default=2)
    p.add_argument("-seed", type=int, default=1)
    p.add_argument("-out", default="")
    p.add_argument("-neighbors", default="")
    p.add_argument("-labels", default="")
    a = p.parse_args()
    if a.arch in ("dbow", "dm"):
        return doc2vec(a)

    logging.basicConfig(level=logging.WARNING)
    from gensim.models import Word2Vec
    from gensim.models.word2vec import LineSentence, FAST_VERSION
    import gensim

    if FAST_VERSION < 0:
        sys.exit("w2v_gensim: gensim's compiled routines are missing (FAST_VERSION < 0)")
    start = time.time()
    sentences = LineSentence(a.corpus)
    m = Word2Vec(sg=1 if a.arch == "sg" else 0, vector_size=a.dim, window=a.window,
                 negative=a.negative, hs=0, min_count=a.min_count, sample=a.sample,
                 epochs=a.epochs, workers=a.workers, seed=a.seed)
    m.build_vocab(sentences)
    t0, c0 = time.time(), cpu()
    m.train(sentences, total_examples=m.corpus_count, epochs=a.epochs)
    t1, c1 = time.time(), cpu()
    res = {
        "impl": "gensim " + gensim.__version__, "arch": a.arch, "seconds": t1 - start,
        "train_seconds": t1 - t0, "cpu_seconds": c1 - c0,
        "words_per_sec": m.corpus_total_words * a.epochs / (t1 - t0),
        "vocab": len(m.wv), "corpus_words": m.corpus_total_words, "workers": a.workers,
    }
    if a.out:
        m.wv.save_word2vec_format(a.out, binary=a.out.endswith(".bin"))
    if a.neighbors:
        res["neighbors"] = {w: ([x for x, _ in m.wv.most_similar(w, topn=10)] if w in m.wv else None)
                            for w in a.neighbors.split(",")}
    print(json.dumps(res))


def doc2vec(a):
    from gensim.models.doc2vec import Doc2Vec, TaggedDocument
    import gensim

    start = time.time()
    with open(a.corpus, encoding="utf-8") as f:
        docs = [TaggedDocument(line.split(), [i]) for i, line in enumerate(f)]
    m = Doc2Vec(dm=1 if a.arch == "dm" else 0, vector_size=a.dim, window=a.window, negative=a.negative,
                hs=0, min_count=a.min_count, sample=a.sample, epochs=a.epochs, workers=a.workers, seed=a.seed)
    m.build_vocab(docs)
    t0, c0 = time.time(), cpu()
    m.train(docs, total_examples=m.corpus_count, epochs=a.epochs)
    t1, c1 = time.time(), cpu()
    res = {
        "impl": "gensim " + gensim.__version__, "arch": a.arch, "seconds": t1 - start,
        "train_seconds": t1 - t0, "cpu_seconds": c1 - c0,
        "words_per_sec": m.corpus_total_words * a.epochs / (t1 - t0),
        "docs": len(docs), "corpus_words": m.corpus_total_words, "workers": a.workers,
    }
    if a.labels:
        try:
            from sklearn.model_selection import KFold, cross_val_score
            from sklearn.neighbors import KNeighborsClassifier
            import numpy as np
            with open(a.labels) as f:
                y = [line.strip() for line in f]
            x = np.array([m.dv[i] for i in range(len(docs))])
            cv = KFold(5, shuffle=True, random_state=a.seed)
            res["accuracy"] = float(np.mean(cross_val_score(KNeighborsClassifier(5, metric="cosine"), x, y, cv=cv)))
        except ImportError:
            res["accuracy"] = None
    print(json.dumps(res))


if __name__ == "__main__":
    main()
