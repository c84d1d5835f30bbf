#!/usr/bin/python3
"""Training samples for a hole model that corrects the classical fill (issue 10, item 3).

Writes shards of crops and hole masks drawn exactly as train.py draws them (data.Bank,
masks.random_mask); `node training/prior_fsr.js DIR` then adds each sample's classical fill,
computed by the project's own TypeScript reconstruction (src/core/fsr.ts fsrFillBox, the very
function the pipeline runs), so training and inference see the same prior by construction.

  nice /usr/bin/python3 training/prior_data.py --out training/cache/prior --shards 8 --per 500
  nice node training/prior_fsr.js training/cache/prior

Per shard k: shard_k.img (N x S x S x 3 uint8, RGB), shard_k.mask (N x S x S uint8, 1 = known),
shard_k.json ({n, size, grey: [bool]}); prior_fsr.js writes shard_k.prior (as .img).

With --guides P (issue 15: a model that corrects the classical fill and follows guide strokes), a
share P of the samples gets a guide simulated from its truth (masks.py simulate_guide): its colour
dots are written into shard_k.img and marked known in shard_k.mask, as src/core/guide.ts
applyGuide writes them into the page before any fill (so the classical fill reads them too); its
ink lines go to shard_k.ink (N x S x S uint8, 1 = ink), still hole to the classical fill, as in
the pipeline; train.py shows them to the model as known black pixels.
"""
import argparse, json, os, sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from masks import random_mask, simulate_guide  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--shards", type=int, default=8)
    ap.add_argument("--per", type=int, default=500)
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--max-ratio", type=float, default=0.6)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--first", type=int, default=0, help="index of the first shard written")
    ap.add_argument("--guides", type=float, default=0.0, help="share of samples with a simulated guide (shard_k.ink)")
    ap.add_argument("--weights", default="",
                    help="source weights over data.Bank.WEIGHTS, e.g. renpy_colour=0.35,pepper_colour=0.15")
    ap.add_argument("--synthetic", action="store_true", help="generated shapes (smoke test)")
    a = ap.parse_args()
    from data import Bank, SyntheticBank
    weights = None
    if a.weights:
        weights = dict(Bank.WEIGHTS)
        for kv in a.weights.split(","):
            k, _, v = kv.partition("=")
            if k not in weights:
                ap.error(f"--weights: unknown source {k!r} (sources: {', '.join(Bank.WEIGHTS)})")
            weights[k] = float(v)
    bank = SyntheticBank() if a.synthetic else Bank(weights)
    os.makedirs(a.out, exist_ok=True)
    for k in range(a.first, a.first + a.shards):
        rng = np.random.default_rng(a.seed * 100003 + k)
        s = a.size
        imgs = np.zeros((a.per, s, s, 3), np.uint8)
        masks = np.zeros((a.per, s, s), np.uint8)
        inks = np.zeros((a.per, s, s), np.uint8) if a.guides else None
        grey = []
        for i in range(a.per):
            img = bank.sample(rng, s)  # [3, S, S] 0..1
            m = random_mask(s, s, rng, max_ratio=a.max_ratio)
            if a.guides and rng.random() < a.guides:
                ink, dots, colours = simulate_guide(img, m, rng)
                img = np.where(dots[None], colours, img)
                m = np.where(dots, 1.0, m)
                inks[i] = ink
            imgs[i] = np.clip(img.transpose(1, 2, 0) * 255 + 0.5, 0, 255).astype(np.uint8)
            masks[i] = m > 0.5
            grey.append(bool((imgs[i, ..., 0] == imgs[i, ..., 1]).all() and (imgs[i, ..., 1] == imgs[i, ..., 2]).all()))
        base = os.path.join(a.out, f"shard_{k:03d}")
        imgs.tofile(base + ".img")
        masks.tofile(base + ".mask")
        if inks is not None:
            inks.tofile(base + ".ink")
        with open(base + ".json", "w") as f:
            json.dump({"n": a.per, "size": s, "grey": grey}, f)
        print(f"wrote {base} ({a.per} samples, {sum(grey)} grey)", flush=True)


if __name__ == "__main__":
    main()
