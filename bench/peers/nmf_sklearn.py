#!/usr/bin/python3
"""scikit-learn's NMF as the peer of gonbml's stdlib/nmf.

Two modes:

  nmf_sklearn.py -mtx X.mtx[.gz] -k 20 -solver mu|cd -iters 200 -tol 0 -seed 0 \
      [-init-w W.mtx -init-h H.mtx] [-dense]
      Fits NMF and prints one JSON line {solver, k, iters, seconds,
      seconds_per_iter, recon_err, n_iter} (the same line bench/nmf prints).
      Without -init-w/-init-h the init is scikit-learn's default (NNDSVDA).

  nmf_sklearn.py -batch JOBS.json
      Runs several fits in one process (importing scikit-learn once): JOBS is
      a JSON list of objects with the flags above as keys (mtx, k, solver,
      iters, tol, seed, init_w, init_h, dense); prints one line per job.
      stdlib/nmf's real-data parity test uses it.

  nmf_sklearn.py -tfidf DOCS.jsonl -out X.mtx
      Builds the benchmark's TF-IDF matrix with scikit-learn's
      TfidfVectorizer(max_features=2000, min_df=10, stop_words='english')
      from one JSON string per line (go run ./bench/nmf -make spam-text
      writes the SpamAssassin bodies that way), for use until stdlib/text's
      vectorizer is wired in.

  nmf_sklearn.py -fixtures OUT.json
      Writes the small parity fixtures stdlib/nmf's tests compare against:
      a sparse X with an all-zero row and column, a strictly positive dense X,
      starting W and H, and scikit-learn's W, H, n_iter and
      reconstruction_err_ for each case, all as exact JSON floats.

Use Debian's interpreter (/usr/bin/python3) with python3-sklearn.
"""
import argparse
import json
import sys
import time
import warnings

import numpy as np
import scipy.io
import scipy.sparse as sp
import sklearn
from sklearn.decomposition import NMF


def read_mtx(path):
    if path.endswith(".gz"):
        import gzip

        with gzip.open(path, "rb") as f:
            return scipy.io.mmread(f)
    return scipy.io.mmread(path)


def read_dense(path):
    a = read_mtx(path)
    a = a.toarray() if sp.issparse(a) else a
    return np.ascontiguousarray(a, dtype=np.float64)


def bench(args):
    X = read_mtx(args.mtx)
    if args.dense:
        X = np.ascontiguousarray(X.toarray() if sp.issparse(X) else X, dtype=np.float64)
    else:
        X = X.tocsr() if sp.issparse(X) else np.ascontiguousarray(X, dtype=np.float64)
    kw = dict(n_components=args.k, solver=args.solver, max_iter=args.iters,
              tol=args.tol, random_state=args.seed)
    W0 = H0 = None
    if args.init_w:
        W0, H0 = read_dense(args.init_w), read_dense(args.init_h)
        kw["init"] = "custom"
    model = NMF(**kw)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = time.perf_counter()
        model.fit_transform(X, W=W0, H=H0)
        secs = time.perf_counter() - t0
    n_iter = model.n_iter_
    print(json.dumps({
        "impl": "sklearn " + sklearn.__version__,
        "solver": args.solver, "k": args.k, "iters": n_iter,
        "seconds": secs, "seconds_per_iter": secs / max(n_iter, 1),
        "recon_err": model.reconstruction_err_, "n_iter": n_iter,
    }))


def dense(a):
    return [[float(v) for v in row] for row in np.asarray(a)]


def fixtures(out):
    rng = np.random.RandomState(0)
    m, n, k = 30, 20, 4
    Xd = rng.rand(m, n) * (rng.rand(m, n) < 0.4)
    Xd[7, :] = 0  # an all-zero row
    Xd[:, 11] = 0  # an all-zero column
    Xs = sp.csr_matrix(Xd)
    Xpos = rng.rand(m, n) + 0.1  # strictly positive, for Itakura-Saito
    avg = np.sqrt(Xd.mean() / k)
    W0 = np.abs(avg * rng.standard_normal((m, k)))
    H0 = np.abs(avg * rng.standard_normal((k, n)))
    avgp = np.sqrt(Xpos.mean() / k)
    W0p = np.abs(avgp * rng.standard_normal((m, k)))
    H0p = np.abs(avgp * rng.standard_normal((k, n)))

    cases = []
    def case(name, X, W0, H0, **kw):
        model = NMF(n_components=k, init="custom", **kw)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            W = model.fit_transform(X, W=W0.copy(), H=H0.copy())
            T = model.transform(X)
        cases.append({
            "name": name, "x": "pos" if X is Xpos else "sparse",
            "params": {k2: v for k2, v in kw.items()},
            "W": dense(W), "H": dense(model.components_), "transform": dense(T),
            "n_iter": int(model.n_iter_), "recon_err": float(model.reconstruction_err_),
        })

    case("mu-frobenius", Xs, W0, H0, solver="mu", max_iter=50, tol=0)
    case("cd", Xs, W0, H0, solver="cd", max_iter=50, tol=0)
    case("mu-tol", Xs, W0, H0, solver="mu", max_iter=200, tol=1e-4)
    case("cd-tol", Xs, W0, H0, solver="cd", max_iter=200, tol=1e-4)
    case("mu-kl", Xs, W0, H0, solver="mu", beta_loss="kullback-leibler", max_iter=50, tol=0)
    case("mu-is", Xpos, W0p, H0p, solver="mu", beta_loss="itakura-saito", max_iter=50, tol=0)
    case("mu-l1l2", Xs, W0, H0, solver="mu", max_iter=50, tol=0, alpha_W=0.01, alpha_H=0.02, l1_ratio=0.3)
    case("cd-l1l2", Xs, W0, H0, solver="cd", max_iter=50, tol=0, alpha_W=0.01, alpha_H=0.02, l1_ratio=0.3)

    Xc = Xs.tocoo()
    data = {
        "generator": "bench/peers/nmf_sklearn.py -fixtures, scikit-learn " + sklearn.__version__,
        "k": k,
        "sparse": {"rows": m, "cols": n, "row": Xc.row.tolist(), "col": Xc.col.tolist(),
                   "val": [float(v) for v in Xc.data]},
        "pos": dense(Xpos),
        "W0": dense(W0), "H0": dense(H0), "W0pos": dense(W0p), "H0pos": dense(H0p),
        "cases": cases,
    }
    with open(out, "w") as f:
        json.dump(data, f, indent=0)
        f.write("\n")


def tfidf(src, out):
    from sklearn.feature_extraction.text import TfidfVectorizer

    with open(src) as f:
        docs = [json.loads(line) for line in f]
    X = TfidfVectorizer(max_features=2000, min_df=10, stop_words="english").fit_transform(docs)
    scipy.io.mmwrite(out, X.tocoo(), precision=17)
    print(json.dumps({"docs": len(docs), "shape": list(X.shape), "nnz": int(X.nnz)}))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-mtx")
    ap.add_argument("-k", type=int, default=20)
    ap.add_argument("-solver", default="mu", choices=["mu", "cd"])
    ap.add_argument("-iters", type=int, default=200)
    ap.add_argument("-tol", type=float, default=0.0)
    ap.add_argument("-seed", type=int, default=0)
    ap.add_argument("-init-w", dest="init_w")
    ap.add_argument("-init-h", dest="init_h")
    ap.add_argument("-dense", action="store_true", help="fit a dense numpy array")
    ap.add_argument("-fixtures")
    ap.add_argument("-batch")
    ap.add_argument("-tfidf")
    ap.add_argument("-out")
    args = ap.parse_args()
    if args.batch:
        with open(args.batch) as f:
            jobs = json.load(f)
        for job in jobs:
            job_args = argparse.Namespace(**{**vars(ap.parse_args([])), **job})
            bench(job_args)
            sys.stdout.flush()
    elif args.tfidf:
        tfidf(args.tfidf, args.out)
    elif args.fixtures:
        fixtures(args.fixtures)
    elif args.mtx:
        bench(args)
    else:
        ap.error("need -mtx or -fixtures")


if __name__ == "__main__":
    sys.exit(main())
