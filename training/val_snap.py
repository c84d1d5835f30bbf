#!/usr/bin/python3
"""Measures a "paper snap" post-fill on TRAINING pages (Black Jack, random masks from masks.py),
never on the evaluation pages. Result (40 crops, bar model step 4800): snapping near-colour fill
pixels never helped (-0.003 to +0.000 dB mean, down to -0.9 dB on a crop), and rings of one exact
colour never occur on these JPEG pages; so only the exact, parameter-free part ships
(src/core/flat.ts: a hole whose ring is one exact colour takes it), and no snapping.

Rule, per 8-connected hole component: the ring = known pixels within 3 px (Chebyshev) of it;
v = its most common exact colour, share = that colour's fraction of the ring. If share == 1 the
whole component becomes v (a hole in a flat area: any smooth fill is v). If share >= S, the
fill pixels within D levels (every channel) of v become v: the network's near-white haze on
paper-white backgrounds goes, its lines and tones stay.

  /usr/bin/python3 training/val_snap.py --ckpt training/checkpoints/pconv-bar.pt --crops 40
"""
import argparse, glob, os, sys
import cv2
import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from export import load_checkpoint  # noqa: E402
from masks import random_mask  # noqa: E402
from eval_quick import run_model  # noqa: E402


def snap(out, hole, S, D, ring_px=3):
    """out uint8 [H,W,3] (filled), hole bool [H,W] -> snapped copy."""
    res = out.copy()
    n, lab = cv2.connectedComponents(hole.astype(np.uint8), connectivity=8)
    k = np.ones((2 * ring_px + 1, 2 * ring_px + 1), np.uint8)
    for i in range(1, n):
        comp = lab == i
        ring = (cv2.dilate(comp.astype(np.uint8), k) > 0) & ~hole
        if not ring.any():
            continue
        v = out[ring]
        cols, counts = np.unique(v, axis=0, return_counts=True)
        j = counts.argmax()
        share, col = counts[j] / len(v), cols[j].astype(int)
        if share >= 1.0:
            res[comp] = col
        elif share >= S:
            near = comp & (np.abs(out.astype(int) - col).max(2) <= D)
            res[near] = col
    return res


def psnr(a, b):
    mse = ((a.astype(np.float64) - b.astype(np.float64)) ** 2).mean()
    return 99.0 if mse == 0 else 10 * np.log10(255.0 ** 2 / mse)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--crops", type=int, default=40)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    net, _ = load_checkpoint(a.ckpt)
    net.eval()
    pages = sorted(glob.glob(os.path.join(HERE, "..", "..", "shared", "data", "train", "blackjack", "*.jpg")))
    rng = np.random.default_rng(a.seed)
    grid = [(S, D) for S in (0.8, 0.9, 0.95) for D in (8, 16, 32, 64)]
    gains = {g: [] for g in grid}
    flat = []
    for t in range(a.crops):
        page = cv2.imread(pages[t % len(pages)], cv2.IMREAD_COLOR)
        page = cv2.resize(page, None, fx=0.585, fy=0.585, interpolation=cv2.INTER_AREA)
        y, x = rng.integers(0, page.shape[0] - 512), rng.integers(0, page.shape[1] - 512)
        gt = page[y:y + 512, x:x + 512]
        hole = random_mask(512, 512, rng, max_ratio=0.6) < 0.5
        inp = gt.copy(); inp[hole] = (0, 255, 0)
        out = run_model(net, inp, hole, False)
        base = psnr(out, gt)
        for g in grid:
            gains[g].append(psnr(snap(out, hole, *g), gt) - base)
        flat.append(psnr(snap(out, hole, 2.0, 0), gt) - base)  # uniform rings only
    print(f"{a.crops} crops of Black Jack pages at 0.585, random masks; PSNR gain in dB (mean / worst crop)")
    print(f"uniform rings only: {np.mean(flat):+.3f} / {np.min(flat):+.3f}")
    for g in grid:
        print(f"S {g[0]:.2f} D {g[1]:3d}: {np.mean(gains[g]):+.3f} / {np.min(gains[g]):+.3f}")


if __name__ == "__main__":
    main()
