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
"""
import argparse, json, os, sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from masks import random_mask  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--shards", type=int, default=8)
    ap.add_argument("--per", type=int, default=500)
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--max-ratio", type=float, default=0.6)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--first", type=int, default=0, help="index of the first shard written")
    ap.add_argument("--synthetic", action="store_true", help="generated shapes (smoke test)")
    a = ap.parse_args()
    from data import Bank, SyntheticBank
    bank = SyntheticBank() if a.synthetic else Bank()
    os.makedirs(a.out, exist_ok=True)
    for k in range(a.first, a.first + a.shards):
        rng = np.random.default_rng(a.seed * 100003 + k)
        s = a.size
        imgs = np.zeros((a.per, s, s, 3), np.uint8)
        masks = np.zeros((a.per, s, s), np.uint8)
        grey = []
        for i in range(a.per):
            img = bank.sample(rng, s)  # [3, S, S] 0..1
            imgs[i] = np.clip(img.transpose(1, 2, 0) * 255 + 0.5, 0, 255).astype(np.uint8)
            masks[i] = random_mask(s, s, rng, max_ratio=a.max_ratio) > 0.5
            grey.append(bool((imgs[i, ..., 0] == imgs[i, ..., 1]).all() and (imgs[i, ..., 1] == imgs[i, ..., 2]).all()))
        base = os.path.join(a.out, f"shard_{k:03d}")
        imgs.tofile(base + ".img")
        masks.tofile(base + ".mask")
        with open(base + ".json", "w") as f:
            json.dump({"n": a.per, "size": s, "grey": grey}, f)
        print(f"wrote {base} ({a.per} samples, {sum(grey)} grey)", flush=True)


if __name__ == "__main__":
    main()
