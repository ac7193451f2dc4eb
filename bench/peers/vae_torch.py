#!/usr/bin/python3
"""PyTorch peer of bench/vae: the same 784-H-L Bernoulli VAE (ReLU hidden
layers, separate mu / log-variance heads, Adam, mean -ELBO per batch) on the
same MNIST split, printing one JSON line with the same fields.

The split comes from `go run ./bench/vae -export DIR` (train.f32, test.f32:
int32 rows, int32 cols, then float32 values, little-endian), so both sides
train on identical rows. Run it with Debian's interpreter:

    /usr/bin/python3 bench/peers/vae_torch.py --data DIR --epochs 20 --threads 1
"""
import argparse
import json
import math
import os
import struct
import time

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F


def load(path):
    with open(path, "rb") as f:
        rows, cols = struct.unpack("<ii", f.read(8))
        data = np.frombuffer(f.read(), dtype="<f4").reshape(rows, cols)
    return torch.from_numpy(data.copy())


class VAE(nn.Module):
    def __init__(self, d, h, l):
        super().__init__()
        self.fc1 = nn.Linear(d, h)
        self.fc21 = nn.Linear(h, l)
        self.fc22 = nn.Linear(h, l)
        self.fc3 = nn.Linear(l, h)
        self.fc4 = nn.Linear(h, d)

    def encode(self, x):
        h = F.relu(self.fc1(x))
        return self.fc21(h), self.fc22(h)

    def decode_logits(self, z):
        return self.fc4(F.relu(self.fc3(z)))

    def terms(self, x):
        """Per-row reconstruction (-log p(x|z), one z sample) and KL."""
        mu, logvar = self.encode(x)
        std = torch.exp(0.5 * logvar)
        z = mu + std * torch.randn_like(std)
        logits = self.decode_logits(z)
        rec = F.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(1)
        kl = -0.5 * (1 + logvar - mu.pow(2) - logvar.exp()).sum(1)
        return rec, kl


def iwae_nll(model, x, k, chunk=256):
    out = []
    with torch.no_grad():
        for i in range(0, x.shape[0], max(1, chunk // k)):
            xb = x[i:i + max(1, chunk // k)]
            mu, logvar = model.encode(xb)
            std = torch.exp(0.5 * logvar)
            eps = torch.randn(k, *mu.shape)
            z = mu + std * eps                      # k x b x L
            logits = model.decode_logits(z)
            logpx = -F.binary_cross_entropy_with_logits(
                logits, xb.expand(k, *xb.shape), reduction="none").sum(-1)
            logpz_minus_q = (-0.5 * z.pow(2) + 0.5 * eps.pow(2) + torch.log(std)).sum(-1)
            lw = logpx + logpz_minus_q
            out.append(torch.logsumexp(lw, 0) - math.log(k))
    return -torch.cat(out).mean().item()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--latent", type=int, default=20)
    ap.add_argument("--hidden", type=int, default=400)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--k", type=int, default=100)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    train = load(os.path.join(a.data, "train.f32"))
    test = load(os.path.join(a.data, "test.f32"))
    model = VAE(train.shape[1], a.hidden, a.latent)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    n = train.shape[0]
    wall, cpu = [], []
    for _ in range(a.epochs):
        t0, c0 = time.perf_counter(), time.process_time()
        perm = torch.randperm(n)
        for i in range(0, n, a.batch):
            xb = train[perm[i:i + a.batch]]
            rec, kl = model.terms(xb)
            loss = (rec + kl).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    with torch.no_grad():
        rec, kl = model.terms(test)
    res = {
        "impl": "pytorch-" + torch.__version__.split("+")[0],
        "threads": a.threads, "epochs": a.epochs, "latent": a.latent,
        "hidden": a.hidden, "batch": a.batch,
        "train_rows": n, "test_rows": test.shape[0],
        "seconds_per_epoch": round(sum(wall) / len(wall), 4),
        "cpu_seconds_per_epoch": round(sum(cpu[1:]) / max(1, len(cpu) - 1), 4),
        "test_neg_elbo": round((rec + kl).mean().item(), 2),
        "test_reconstruction": round(rec.mean().item(), 2),
        "test_kl": round(kl.mean().item(), 2),
        "test_iwae_nll_k100": round(iwae_nll(model, test, a.k), 2) if a.k > 0 else 0,
        "iwae_k": a.k,
    }
    print(json.dumps(res))


if __name__ == "__main__":
    main()
