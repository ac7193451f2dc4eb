#!/usr/bin/python3
"""scikit-learn peer for stdlib/text: TF-IDF parity fixtures and timings.

Run with Debian's interpreter and python3-sklearn (1.2):

    go run ./bench/datasets/spamdocs > /tmp/spamdocs.json
    /usr/bin/python3 bench/peers/tfidf_sklearn.py fixtures /tmp/spamdocs.json stdlib/text/testdata
    /usr/bin/python3 bench/peers/tfidf_sklearn.py time /tmp/spamdocs.json

"fixtures" writes two gzipped JSON files:

  tfidf_small.json.gz   a few hundred short documents (every 40th cleaned
                        SpamAssassin body cut to 600 characters, plus
                        hand-written Unicode edge cases) and, for several
                        TfidfVectorizer settings, the full CSR output.
  tfidf_spam.json.gz    the whole cleaned corpus with max_features=2000,
                        min_df=10, stop_words='english': feature names, idf
                        and the product X @ r with a fixed vector r (too big
                        to store X itself), plus a hash of the documents so
                        the Go test can tell a stale fixture from a bug.

"time" prints the TfidfVectorizer fit_transform time on the whole corpus
(best of 3) for side-by-side comparison with the Go benchmark.
"""
import gzip
import hashlib
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer

# Each config: a name, the keyword arguments for scikit-learn. The Go test
# maps the same names to its own fields.
SMALL_CONFIGS = [
    ("default", {}),
    ("sublinear_l1_nosmooth", {"sublinear_tf": True, "norm": "l1", "smooth_idf": False}),
    ("noidf_nonorm_binary", {"use_idf": False, "norm": None, "binary": True}),
    ("fractions_english_max300", {"min_df": 0.02, "max_df": 0.5, "stop_words": "english", "max_features": 300}),
    ("counts", {"min_df": 3, "max_df": 50}),
    ("issue", {"max_features": 2000, "min_df": 10, "stop_words": "english"}),
    ("keepcase", {"lowercase": False}),
    ("ngrams", {"ngram_range": [1, 3], "min_df": 2, "stop_words": "english"}),
]

EDGE_DOCS = [
    "Café crème, naïve façade — déjà vu at the Zoë's.",
    "ΣΟΦΙΑ σοφία and Straße STRASSE; İstanbul ıstanbul",
    "snake_case under_score __init__ a_b 1_000 x1 2x",
    "数据 科学 データサイエンス 한국어 텍스트",
    "combining: cafe\u0301 e\u0301te\u0301 (decomposed accents split tokens)",
    "digits 42 3.14 2002-08-22 ① ½ ٣٤ and a b c single letters",
    "",
    "!!! ... ???",
    "Repeat repeat REPEAT repeat.",
    "tabs\tand\nnewlines\r\nand\u00a0nbsp",
    "ΟΔΟΣ ΣΟΦΟΣ Σ ΑΣ. ΑΣΑ Σ1 aΣ ΑΣ\u0301 Σ\u0301Α ΟΔΟΣ",
]


def doc_hash(docs):
    h = hashlib.sha256()
    for d in docs:
        h.update(d.encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()


def untied_cut(docs, kw):
    """Smallest k >= kw["max_features"] with no tie between ranks k and k+1."""
    rest = {a: b for a, b in kw.items() if a != "max_features"}
    counts = TfidfVectorizer(use_idf=False, norm=None, **rest).fit_transform(docs).sum(axis=0)
    srt = np.sort(np.asarray(counts).ravel())[::-1]
    k = kw["max_features"]
    while k < len(srt) and srt[k - 1] == srt[k]:
        k += 1
    return k


def csr(x):
    x = x.tocsr()
    x.sort_indices()
    return {
        "shape": list(x.shape),
        "indptr": x.indptr.tolist(),
        "indices": x.indices.tolist(),
        # 13 significant digits: far below the 1e-9 tolerance, half the bytes.
        "data": [float("%.13g" % v) for v in x.data],
    }


def fixtures(docs_path, outdir):
    with open(docs_path, encoding="utf-8") as f:
        corpus = json.load(f)["docs"]
    small = [d[:600] for d in corpus[::40]] + EDGE_DOCS
    out = {"sklearn": sklearn.__version__, "docs": small, "configs": []}
    for name, kw in SMALL_CONFIGS:
        kw = dict(kw)
        if name == "fractions_english_max300":
            # Exact parity needs no tie at the max_features cut (numpy's
            # argsort is unstable there): move the cut to the next gap.
            kw["max_features"] = untied_cut(small, kw)
        v = TfidfVectorizer(**{a: tuple(b) if a == "ngram_range" else b for a, b in kw.items()})
        x = v.fit_transform(small)
        cfg = {"name": name, "params": kw, "features": v.get_feature_names_out().tolist(), "matrix": csr(x)}
        if getattr(v, "use_idf", True):
            cfg["idf"] = [float("%.13g" % w) for w in v.idf_]
        out["configs"].append(cfg)
    with gzip.open(f"{outdir}/tfidf_small.json.gz", "wt", encoding="utf-8", compresslevel=9) as f:
        json.dump(out, f, ensure_ascii=False)

    kw = {"max_features": 2000, "min_df": 10, "stop_words": "english"}
    v = TfidfVectorizer(**kw)
    x = v.fit_transform(corpus)
    # Ties at the max_features cut: scikit-learn's argsort is unstable, the
    # Go side keeps vocabulary order. Record whether a tie straddles the cut.
    counts = np.asarray(TfidfVectorizer(min_df=10, stop_words="english", use_idf=False, norm=None)
                        .fit_transform(corpus).sum(axis=0)).ravel()
    srt = np.sort(counts)[::-1]
    tie = bool(len(srt) > 2000 and srt[1999] == srt[2000])
    r = np.random.default_rng(12345).random(x.shape[1])  # fixed probe vector
    big = {
        "sklearn": sklearn.__version__,
        "params": kw,
        "n_docs": len(corpus),
        "docs_sha256": doc_hash(corpus),
        "tie_at_cut": tie,
        "features": v.get_feature_names_out().tolist(),
        "idf": v.idf_.tolist(),
        "nnz": int(x.nnz),
        "probe": r.tolist(),
        "x_probe": (x @ r).tolist(),
    }
    with gzip.open(f"{outdir}/tfidf_spam.json.gz", "wt", encoding="utf-8", compresslevel=9) as f:
        json.dump(big, f)
    print(f"small: {len(small)} docs, {len(SMALL_CONFIGS)} configs; spam: {x.shape}, nnz {x.nnz}, tie at cut: {tie}")


def timing(docs_path):
    with open(docs_path, encoding="utf-8") as f:
        corpus = json.load(f)["docs"]
    for name, kw in [("default", {}), ("issue", {"max_features": 2000, "min_df": 10, "stop_words": "english"})]:
        best = float("inf")
        for _ in range(3):
            t = time.perf_counter()
            x = TfidfVectorizer(**kw).fit_transform(corpus)
            best = min(best, time.perf_counter() - t)
        print(f"sklearn {sklearn.__version__} TfidfVectorizer {name}: {len(corpus)} docs, {x.shape[1]} terms, {best:.3f} s")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "fixtures":
        fixtures(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 3 and sys.argv[1] == "time":
        timing(sys.argv[2])
    else:
        sys.exit(__doc__)
