"""Training masks: 1 = known, 0 = hole (float32 [H, W]).

  * strokes : free-form brush strokes (Yu et al. 2019 style random walks with round caps),
  * bars    : censor bars (rectangles, often several parallel ones, optionally rotated),
  * blobs   : filled ellipses / random polygons,
  * mixed   : any union of the above.
The hole ratio of free-form masks is drawn up to ~60 % (the evaluation buckets go 1-60 %).
`mosaic()` pixelates the hole with a block grid aligned to an origin, like the evaluation
(/work/shared/tools/eval_cases.py): every block that touches the hole gets its mean colour.
"""
from __future__ import annotations

import math

import cv2
import numpy as np


def _strokes(h, w, rng, target):
    hole = np.zeros((h, w), np.uint8)
    s = max(h, w)
    for _ in range(200):
        if hole.mean() / 255 >= target:
            break
        n = rng.integers(3, 12)
        x, y = rng.integers(0, w), rng.integers(0, h)
        width = int(rng.integers(max(3, s // 60), max(6, s // 9)))
        angle = rng.uniform(0, 2 * math.pi)
        for _ in range(n):
            angle += rng.uniform(-1.2, 1.2)
            length = rng.uniform(s / 20, s / 4)
            nx = int(np.clip(x + length * math.cos(angle), 0, w - 1))
            ny = int(np.clip(y + length * math.sin(angle), 0, h - 1))
            cv2.line(hole, (x, y), (nx, ny), 255, width)
            cv2.circle(hole, (nx, ny), width // 2, 255, -1)
            x, y = nx, ny
    return hole


def _bars(h, w, rng, target):
    hole = np.zeros((h, w), np.uint8)
    s = max(h, w)
    for _ in range(rng.integers(1, 4)):
        if hole.mean() / 255 >= target:
            break
        cx, cy = rng.uniform(0.15, 0.85) * w, rng.uniform(0.15, 0.85) * h
        bw = rng.uniform(s * 0.15, s * 0.7)
        bh = rng.uniform(s * 0.02, s * 0.12)
        ang = rng.choice([0.0, 90.0, rng.uniform(-60, 60)])
        k = rng.integers(1, 6)  # parallel bars with small gaps
        capsule = rng.random() < 0.5
        gap = bh * rng.uniform(0.3, 1.5)
        for j in range(k):
            off = (j - (k - 1) / 2) * (bh + gap)
            t = math.radians(ang + 90)
            ccx, ccy = cx + off * math.cos(t), cy + off * math.sin(t)
            if capsule:  # marker-pen bar: a thick line with round caps
                dx, dy = math.cos(math.radians(ang)) * bw / 2, math.sin(math.radians(ang)) * bw / 2
                cv2.line(hole, (int(ccx - dx), int(ccy - dy)), (int(ccx + dx), int(ccy + dy)), 255, max(2, int(bh)))
            else:
                box = ((ccx, ccy), (bw, bh), ang)
                cv2.fillPoly(hole, [cv2.boxPoints(box).astype(np.int32)], 255)
    return hole


def _blobs(h, w, rng, target):
    hole = np.zeros((h, w), np.uint8)
    s = max(h, w)
    for _ in range(50):
        if hole.mean() / 255 >= target:
            break
        cx, cy = int(rng.integers(0, w)), int(rng.integers(0, h))
        if rng.random() < 0.5:
            ax = (int(rng.uniform(s * 0.03, s * 0.25)), int(rng.uniform(s * 0.03, s * 0.25)))
            cv2.ellipse(hole, (cx, cy), ax, float(rng.uniform(0, 180)), 0, 360, 255, -1)
        else:
            n = rng.integers(5, 12)
            r = rng.uniform(s * 0.04, s * 0.25)
            angles = np.sort(rng.uniform(0, 2 * math.pi, n))
            radii = r * rng.uniform(0.4, 1.0, n)
            pts = np.stack([cx + radii * np.cos(angles), cy + radii * np.sin(angles)], 1).astype(np.int32)
            cv2.fillPoly(hole, [pts], 255)
    return hole


KINDS = {"strokes": _strokes, "bars": _bars, "blobs": _blobs}


def random_mask(h, w, rng: np.random.Generator, kind: str | None = None, max_ratio: float = 0.6):
    """Returns float32 [h, w], 1 = known, 0 = hole; hole ratio in (0, max_ratio]."""
    if kind is None:
        kind = rng.choice(["strokes", "strokes", "bars", "bars", "blobs", "mixed"])
    target = rng.uniform(0.02, max_ratio)
    if kind == "mixed":
        hole = np.zeros((h, w), np.uint8)
        for k in rng.choice(list(KINDS), size=2, replace=False):
            hole |= KINDS[k](h, w, rng, target / 2)
    else:
        hole = KINDS[kind](h, w, rng, target)
    if hole.mean() / 255 > max_ratio + 0.1:  # overshoot: erode back toward the target
        hole = cv2.erode(hole, np.ones((5, 5), np.uint8), iterations=2)
    if not hole.any():
        hole[h // 3: h // 2, w // 3: w // 2] = 255
    return (hole < 128).astype(np.float32)


def mosaic(img: np.ndarray, known: np.ndarray, block: int, oy: int = 0, ox: int = 0) -> np.ndarray:
    """img float32 [C, H, W]; known [H, W] (1 = known). Blocks on a grid whose origin is
    (oy, ox) modulo block; every block touching the hole becomes its mean colour (over the
    whole block, as the evaluation's mosaic does). As in the evaluation, the parts of touched
    blocks outside the hole are pixelated too (they stay "known" pixels of the input)."""
    c, h, w = img.shape
    hole = known < 0.5
    means = block_means(img, block, oy, ox)
    iy, ix = _block_index(h, block, oy), _block_index(w, block, ox)
    touched = np.zeros(means.shape[1:], bool)
    ys, xs = np.nonzero(hole)
    touched[iy[ys], ix[xs]] = True
    t = touched[iy][:, ix]
    out = img.copy()
    out[:, t] = means[:, iy][:, :, ix][:, t]
    return out


def block_means(img: np.ndarray, block: int, oy: int = 0, ox: int = 0) -> np.ndarray:
    """Mean colour of every block of a grid whose boundaries lie at y = oy, x = ox (mod block),
    over the block's pixels inside the image. img float [C, H, W] -> [C, nby, nbx]; block (0, 0)
    is the one containing pixel (0, 0)."""
    c, h, w = img.shape
    py, px = (block - oy % block) % block, (block - ox % block) % block
    H = int(math.ceil((h + py) / block)) * block
    W = int(math.ceil((w + px) / block)) * block
    pad = np.zeros((c, H, W), np.float64)
    cnt = np.zeros((H, W), np.float64)
    pad[:, py:py + h, px:px + w] = img
    cnt[py:py + h, px:px + w] = 1
    gb = (H // block, block, W // block, block)
    return pad.reshape(c, *gb).sum((2, 4)) / np.maximum(cnt.reshape(gb).sum((1, 3)), 1)


def _block_index(n: int, block: int, o: int) -> np.ndarray:
    return (np.arange(n) + (block - o % block) % block) // block


def project_block_means(est: np.ndarray, hole: np.ndarray, means: np.ndarray, block: int, oy: int = 0, ox: int = 0) -> np.ndarray:
    """Shift the hole pixels of every block by one constant so that the block's mean (over its
    pixels inside the image) equals `means` again; pixels outside the hole are not changed.
    This is the orthogonal projection onto the images with those block means, then a clamp to [0, 1]."""
    c, h, w = est.shape
    iy, ix = _block_index(h, block, oy), _block_index(w, block, ox)
    nby, nbx = means.shape[1:]
    flat = (iy[:, None] * nbx + ix[None, :]).ravel()
    n = np.bincount(flat, minlength=nby * nbx).astype(np.float64)
    nh = np.bincount(flat, weights=hole.ravel().astype(np.float64), minlength=nby * nbx)
    out = est.astype(np.float64).copy()
    for ch in range(c):
        s = np.bincount(flat, weights=out[ch].ravel(), minlength=nby * nbx)
        d = np.where(nh > 0, (means[ch].ravel() * n - s) / np.maximum(nh, 1), 0.0)
        out[ch][hole] += d[flat.reshape(h, w)][hole]
    return np.clip(out, 0, 1).astype(np.float32)


def mosaic_prior(img: np.ndarray, known: np.ndarray, block: int, oy: int = 0, ox: int = 0) -> np.ndarray:
    """The input the mosaic model sees (the TypeScript pipeline computes the same in
    src/core/mosaic.ts): inside the hole, the block means interpolated bilinearly between block
    centres (clamped at the image border), then projected back onto the block means; outside
    the hole, the image as it is. img float [C, H, W] in [0, 1] (the pixelated page);
    known [H, W], 1 = known."""
    c, h, w = img.shape
    hole = known < 0.5
    g = block_means(img, block, oy, ox)
    nby, nbx = g.shape[1:]

    def axis(n, o, nb):
        u = (np.arange(n) + (block - o % block) % block + 0.5) / block - 0.5
        u = np.clip(u, 0, nb - 1)
        i0 = np.floor(u).astype(np.int64)
        i1 = np.minimum(i0 + 1, nb - 1)
        return i0, i1, u - i0

    y0, y1, fy = axis(h, oy, nby)
    x0, x1, fx = axis(w, ox, nbx)
    fy, fx = fy[:, None], fx[None, :]
    up = (g[:, y0][:, :, x0] * (1 - fy) * (1 - fx) + g[:, y0][:, :, x1] * (1 - fy) * fx
          + g[:, y1][:, :, x0] * fy * (1 - fx) + g[:, y1][:, :, x1] * fy * fx)
    est = img.astype(np.float64).copy()
    est[:, hole] = up[:, hole]
    return project_block_means(est, hole, g, block, oy, ox)


def simulate_guide(img: np.ndarray, known: np.ndarray, rng: np.random.Generator):
    """A guide an artist would draw in the hole (issue 15; as ../shared/tools/eval_cases.py
    `guide_for` extracts it, then degraded): the page's thin ink lines inside the hole,
    skeletonised and 2 px wide, each line kept with p 0.8, the whole drawing shifted by up to
    1 px; plus a geometric number of 5x5 colour dots of the local median colour (about one per
    2,500 hole pixels). `img` RGB [3, H, W] 0..1, `known` [H, W] 1 = known. Returns
    (ink [H, W] bool, dots [H, W] bool, dot colours [3, H, W]): ink pixels are drawn black
    (what the user draws), dot pixels take the dot colour.
    """
    from skimage.morphology import skeletonize

    hole = known < 0.5
    h, w = hole.shape
    rgb8 = np.clip(img.transpose(1, 2, 0) * 255 + 0.5, 0, 255).astype(np.uint8)
    g = cv2.GaussianBlur(cv2.cvtColor(rgb8, cv2.COLOR_RGB2GRAY), (0, 0), 1.0)
    k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (9, 9))
    ink = (cv2.morphologyEx(g, cv2.MORPH_BLACKHAT, k) > 60) & hole
    ink = skeletonize(ink)
    n, lab = cv2.connectedComponents(ink.astype(np.uint8), connectivity=8)
    if n > 1:
        keep = rng.random(n) < 0.8
        keep[0] = False
        ink = keep[lab]
    ink = cv2.dilate(ink.astype(np.uint8), np.ones((2, 2), np.uint8)) > 0
    if rng.random() < 0.5:
        dy, dx = int(rng.integers(-1, 2)), int(rng.integers(-1, 2))
        ink = np.roll(ink, (dy, dx), (0, 1))
    ink &= hole
    dots = np.zeros((h, w), bool)
    colours = np.zeros_like(img)
    ys, xs = np.nonzero(hole & ~ink)
    if len(ys):
        med = cv2.medianBlur(rgb8, 5)
        mean_n = max(1.0, hole.sum() / 2500)
        count = min(len(ys), int(rng.geometric(1 / mean_n)))
        for i in rng.choice(len(ys), size=count, replace=False):
            y, x = ys[i], xs[i]
            sl = (slice(max(0, y - 2), y + 3), slice(max(0, x - 2), x + 3))
            dots[sl] = True
            colours[:, sl[0], sl[1]] = (med[y, x].astype(np.float32) / 255)[:, None, None]
    dots &= hole & ~ink
    return ink, dots, colours
