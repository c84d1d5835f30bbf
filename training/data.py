#!/usr/bin/python3
"""Training images that look like B&W manga pages.

Sources (all redistributable; NEVER /work/shared/data/eval, which is evaluation-only):
  * blackjack   : 8 pages of "Give My Regards to Black Jack" (Shuho Sato; Sato Manga Works free
                  secondary-use terms), B&W with real screentones, at several scales (the
                  evaluation pages are ~0.58x their resolution);
  * clipart     : openclipart PNG (public domain, Debian openclipart-png), laid out as manga
                  panels and "manga-ised" (below);
  * renpy       : Ren'Py demo / The Question art (MIT, Debian renpy-demo / renpy-thequestion),
                  manga-ised (backgrounds and character sprites);
  * peppercarrot: Pepper&Carrot (David Revoy, CC BY 4.0), kept in colour, and manga-ised.

Manga-ising: luminance, ink lines (dark strokes kept, width varied; XDoG lines for painted
art), flat tones posterised into a few levels and each level printed with its own
SCREENTONE: AM dot screens, line screens, cross-hatching, at pitches 3-9 px and several
angles, rendered at 2x and area-downsampled (anti-aliased like a scan), then JPEG.

Build the cache once (a few minutes on 2 cores):
    /usr/bin/python3 training/data.py --build-cache [--n-clipart 900]
"""
from __future__ import annotations

import argparse, glob, math, os, sys

import cv2
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SHARED = os.environ.get("SHARED_DATA", os.path.join(REPO, "..", "shared", "data"))
CACHE = os.environ.get("TRAIN_CACHE", os.path.join(HERE, "cache"))
CLIPART = "/usr/share/openclipart/png"
RENPY = "/usr/share/games/renpy"

# The evaluation set lives beside the training set: refuse to read it, whatever the path.
def _guard(path: str) -> str:
    if os.sep + "eval" + os.sep in os.path.abspath(path) + os.sep and "data" in path:
        raise ValueError(f"refusing to train on evaluation data: {path}")
    return path


def imread_rgb(path: str, bg: int = 255) -> np.ndarray | None:
    """uint8 RGB [H, W, 3]; alpha composited on white."""
    img = cv2.imread(_guard(path), cv2.IMREAD_UNCHANGED)
    if img is None:
        return None
    if img.ndim == 2:
        img = cv2.cvtColor(img, cv2.COLOR_GRAY2BGR)
    if img.shape[2] == 4:
        a = img[:, :, 3:4].astype(np.float32) / 255
        img = (img[:, :, :3].astype(np.float32) * a + bg * (1 - a)).astype(np.uint8)
    return cv2.cvtColor(img[:, :, :3], cv2.COLOR_BGR2RGB)


def gray(rgb: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)


# ---------------------------------------------------------------- screentones
def screen(h, w, rng, kind=None, pitch=None, angle=None):
    """Threshold map in [0,1] ([h, w] float32): a pixel of tone t (0 black .. 1 white) prints
    white where t > screen. Dot / line / cross-hatch screens."""
    kind = kind or rng.choice(["dots", "lines", "cross"], p=[0.65, 0.2, 0.15])
    pitch = pitch or float(rng.uniform(3.0, 9.0))
    angle = math.radians(angle if angle is not None else float(rng.choice([45, 45, 0, 30, 60, 15, 75, rng.uniform(0, 180)])))
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    u = (x * math.cos(angle) + y * math.sin(angle)) * (2 * math.pi / pitch)
    v = (-x * math.sin(angle) + y * math.cos(angle)) * (2 * math.pi / pitch)
    if kind == "dots":
        s = 0.5 + 0.25 * (np.cos(u) + np.cos(v))
    elif kind == "lines":
        s = 0.5 + 0.5 * np.cos(u)
    else:  # cross-hatch: the darker, the more both directions print
        s = np.maximum(0.5 + 0.5 * np.cos(u), 0.5 + 0.5 * np.cos(v)) * 0.999
    return s.astype(np.float32)


def xdog(g: np.ndarray, rng) -> np.ndarray:
    """Extended difference-of-Gaussians line drawing; uint8, 0 = ink."""
    f = g.astype(np.float32) / 255
    s = float(rng.uniform(0.6, 1.4))
    a = cv2.GaussianBlur(f, (0, 0), s)
    b = cv2.GaussianBlur(f, (0, 0), s * 1.6)
    d = a - 0.98 * b
    e = float(rng.uniform(-0.02, 0.0))
    out = np.where(d >= e, 1.0, 1 + np.tanh(float(rng.uniform(30, 90)) * (d - e)))
    return (np.clip(out, 0, 1) * 255).astype(np.uint8)


def mangaise(rgb: np.ndarray, rng, painted: bool = False) -> np.ndarray:
    """RGB uint8 -> manga-like gray uint8 (same size)."""
    g = gray(rgb)
    h, w = g.shape
    H, W = h * 2, w * 2
    g2 = cv2.resize(g, (W, H), interpolation=cv2.INTER_LINEAR).astype(np.float32) / 255
    if painted:  # painted art: flatten, lift the shadows (manga keeps most of a page light)
        g2 = cv2.bilateralFilter(g2, 9, 0.1, 5)
        g2 = 0.3 + 0.7 * g2
    # ink: dark strokes; width varied by erosion/dilation at 2x
    ink_thr = float(rng.uniform(0.08, 0.2) if painted else rng.uniform(0.18, 0.35))
    ink = (g2 < ink_thr).astype(np.uint8)
    r = int(rng.integers(-1, 3))
    if r > 0:
        ink = cv2.dilate(ink, np.ones((r + 1, r + 1), np.uint8))
    elif r < 0:
        ink = cv2.erode(ink, np.ones((2, 2), np.uint8))
    # tones: posterise the mid tones, one screen per level (or a continuous gradient screen)
    t = g2.copy()
    levels = int(rng.integers(2, 5))
    cuts = np.sort(rng.uniform(ink_thr, 0.93, levels - 1))
    white_thr = float(rng.uniform(0.85, 0.96))
    out = np.ones((H, W), np.float32)
    gradient = rng.random() < 0.25
    lo = ink_thr
    bounds = list(cuts) + [white_thr]
    for i, hi in enumerate(bounds):
        region = (t >= lo) & (t < hi)
        if region.any():
            flat = float(rng.uniform(0.45, 0.92)) if rng.random() < 0.4 else 0.35 + 0.65 * (lo + hi) / 2
            tone = t if gradient else np.full_like(t, flat)
            style = rng.random()
            if style < 0.55:  # printed screentone
                sc = screen(H, W, rng, pitch=float(rng.uniform(3, 9)) * 2)
                out[region] = (tone[region] > sc[region]).astype(np.float32)
            elif style < 0.85:  # digital flat gray
                out[region] = flat
            else:  # digital soft shading (gray follows the original, lifted)
                out[region] = 0.3 + 0.7 * t[region]
        lo = hi
    out[ink > 0] = 0
    if painted or rng.random() < 0.3:
        lines = xdog(cv2.resize(g, (W, H)), rng).astype(np.float32) / 255
        out = np.minimum(out, lines)
    small = cv2.resize(out, (w, h), interpolation=cv2.INTER_AREA)
    return np.clip(small * 255 + 0.5, 0, 255).astype(np.uint8)


def jpeg(img: np.ndarray, rng) -> np.ndarray:
    q = int(rng.integers(70, 96))
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, q])
    return cv2.imdecode(buf, cv2.IMREAD_UNCHANGED)


# ---------------------------------------------------------------- cache building
def clipart_files():
    fs = sorted(glob.glob(os.path.join(CLIPART, "**", "*.png"), recursive=True))
    return fs


def renpy_files():
    fs = sorted(glob.glob(os.path.join(RENPY, "*", "game", "images", "**", "*.*"), recursive=True))
    fs += [os.path.join(RENPY, "demo", "game", "gui", "main_menu.jpg")]
    return [f for f in fs if f.lower().endswith((".png", ".jpg", ".webp")) and os.path.getsize(f) > 30000]


def collage(files, rng, side):
    """A manga-like page: 1-4 panels with borders, each holding a clip-art image."""
    page = np.full((side, side, 3), 255, np.uint8)
    n = int(rng.integers(1, 5))
    # split the page into panels by random horizontal then vertical cuts
    rows = [0] + sorted(rng.integers(side // 4, 3 * side // 4, size=max(0, (n - 1) // 2)).tolist()) + [side]
    panels = []
    for r0, r1 in zip(rows[:-1], rows[1:]):
        cols = [0, side] if rng.random() < 0.5 else [0, int(rng.integers(side // 3, 2 * side // 3)), side]
        for c0, c1 in zip(cols[:-1], cols[1:]):
            panels.append((r0, r1, c0, c1))
    gutter = int(rng.integers(4, 14))
    for (r0, r1, c0, c1) in panels:
        y0, y1, x0, x1 = r0 + gutter, r1 - gutter, c0 + gutter, c1 - gutter
        if y1 - y0 < 40 or x1 - x0 < 40:
            continue
        for _ in range(5):
            img = imread_rgb(files[int(rng.integers(len(files)))])
            if img is not None and min(img.shape[:2]) >= 120:
                break
        else:
            continue
        ph, pw = y1 - y0, x1 - x0
        sc = min(ph / img.shape[0], pw / img.shape[1]) * float(rng.uniform(0.8, 1.6))
        img = cv2.resize(img, (max(1, int(img.shape[1] * sc)), max(1, int(img.shape[0] * sc))), interpolation=cv2.INTER_AREA)
        oy = int(rng.integers(min(0, ph - img.shape[0]), max(0, ph - img.shape[0]) + 1))
        ox = int(rng.integers(min(0, pw - img.shape[1]), max(0, pw - img.shape[1]) + 1))
        sy0, sx0 = max(0, -oy), max(0, -ox)
        dy0, dx0 = y0 + max(0, oy), x0 + max(0, ox)
        hh = min(img.shape[0] - sy0, y1 - dy0)
        ww = min(img.shape[1] - sx0, x1 - dx0)
        if rng.random() < 0.4:  # a toned panel background
            page[y0:y1, x0:x1] = int(rng.integers(150, 235))
        if hh > 0 and ww > 0:
            sub = img[sy0:sy0 + hh, sx0:sx0 + ww]
            dst = page[dy0:dy0 + hh, dx0:dx0 + ww]
            keep = sub.min(2, keepdims=True) < 250  # white of the clip art shows the panel bg
            page[dy0:dy0 + hh, dx0:dx0 + ww] = np.where(keep, sub, dst)
        cv2.rectangle(page, (x0, y0), (x1 - 1, y1 - 1), (0, 0, 0), int(rng.integers(2, 5)))
    return page


def build_cache(n_clipart=900, seed=1234):
    rng = np.random.default_rng(seed)
    os.makedirs(os.path.join(CACHE, "clipart"), exist_ok=True)
    os.makedirs(os.path.join(CACHE, "renpy"), exist_ok=True)
    os.makedirs(os.path.join(CACHE, "pepper"), exist_ok=True)
    rfiles = renpy_files()
    for i, f in enumerate(rfiles):
        img = imread_rgb(f)
        if img is None:
            continue
        s = 900 / max(img.shape[:2])
        if s < 1:
            img = cv2.resize(img, None, fx=s, fy=s, interpolation=cv2.INTER_AREA)
        for k in range(3):
            out = os.path.join(CACHE, "renpy", f"{i:03d}_{k}.png")
            if not os.path.exists(out):
                cv2.imwrite(out, jpeg(mangaise(img, rng, painted=True), rng))
    print(f"renpy: {len(rfiles)} images x3")
    pfiles = sorted(glob.glob(os.path.join(SHARED, "train", "peppercarrot", "*")))
    for i, f in enumerate(pfiles):
        img = imread_rgb(f)
        if img is None:
            continue
        s = 1200 / max(img.shape[:2])
        if s < 1:
            img = cv2.resize(img, None, fx=s, fy=s, interpolation=cv2.INTER_AREA)
        for k in range(2):
            out = os.path.join(CACHE, "pepper", f"{i:02d}_{k}.png")
            if not os.path.exists(out):
                cv2.imwrite(out, jpeg(mangaise(img, rng, painted=True), rng))
    print(f"peppercarrot: {len(pfiles)} images x2")
    files = clipart_files()
    if files:
        files = [files[i] for i in rng.permutation(len(files))]
        for i in range(n_clipart):
            out = os.path.join(CACHE, "clipart", f"{i:04d}.png")
            if os.path.exists(out):
                continue
            page = collage(files, rng, int(rng.integers(384, 768)))
            cv2.imwrite(out, jpeg(mangaise(page, rng), rng))
            if i % 100 == 0:
                print(f"clipart {i}/{n_clipart}", flush=True)
    else:
        print("openclipart-png not installed: skipping clip art (training/setup_data.sh)")


# ---------------------------------------------------------------- sampling
class Bank:
    """In-memory images by source; `sample(rng, size)` gives float32 [3, size, size] in [0,1]
    (gray sources replicated to 3 channels)."""

    # the evaluation pages mix printed screentones, digital gray tones and some colour pages
    WEIGHTS = {"blackjack": 0.35, "clipart": 0.2, "renpy": 0.1, "renpy_gray": 0.08, "renpy_colour": 0.1,
               "pepper_manga": 0.05, "pepper_colour": 0.12}

    def __init__(self, weights=None, max_clipart=None, verbose=True):
        self.weights, self.max_clipart = weights, max_clipart
        self.load(verbose)

    def cache_count(self):
        return sum(len(glob.glob(os.path.join(CACHE, d, "*.png"))) for d in ("clipart", "renpy", "pepper"))

    def load(self, verbose=True):
        """(Re)read every source; training calls it again while the cache is still being built."""
        max_clipart, weights = self.max_clipart, self.weights
        self.sources = {k: [] for k in self.WEIGHTS}
        bj = sorted(glob.glob(os.path.join(SHARED, "train", "blackjack", "*.jpg")))
        for f in bj:
            g = cv2.imread(_guard(f), cv2.IMREAD_GRAYSCALE)
            for s in (0.5, 0.585, 0.585, 0.7, 0.85, 1.0):
                self.sources["blackjack"].append(g if s == 1 else cv2.resize(g, None, fx=s, fy=s, interpolation=cv2.INTER_AREA))
        cl = sorted(glob.glob(os.path.join(CACHE, "clipart", "*.png")))[:max_clipart]
        self.sources["clipart"] = [cv2.imread(f, cv2.IMREAD_GRAYSCALE) for f in cl]
        self.sources["renpy"] = [cv2.imread(f, cv2.IMREAD_GRAYSCALE) for f in sorted(glob.glob(os.path.join(CACHE, "renpy", "*.png")))]
        self.sources["pepper_manga"] = [cv2.imread(f, cv2.IMREAD_GRAYSCALE) for f in sorted(glob.glob(os.path.join(CACHE, "pepper", "*.png")))]
        for f in renpy_files():  # Ren'Py art as is (colour) and in gray
            img = imread_rgb(f)
            if img is None:
                continue
            s = 900 / max(img.shape[:2])
            if s < 1:
                img = cv2.resize(img, None, fx=s, fy=s, interpolation=cv2.INTER_AREA)
            self.sources["renpy_colour"].append(img)
            self.sources["renpy_gray"].append(gray(img))
        for f in sorted(glob.glob(os.path.join(SHARED, "train", "peppercarrot", "*"))):
            img = imread_rgb(f)
            if img is not None:
                for s in (0.5, 0.75):
                    self.sources["pepper_colour"].append(cv2.resize(img, None, fx=s, fy=s, interpolation=cv2.INTER_AREA))
        w = dict(weights or self.WEIGHTS)
        self.names = [k for k in w if self.sources[k]]
        p = np.array([w[k] for k in self.names], np.float64)
        self.p = p / p.sum()
        if verbose:
            print("data: " + ", ".join(f"{k} {len(self.sources[k])}" for k in self.sources), flush=True)
        if not self.names:
            raise RuntimeError(f"no training images found (SHARED_DATA={SHARED}, cache {CACHE})")

    def sample(self, rng, size):
        src = self.names[rng.choice(len(self.names), p=self.p)]
        imgs = self.sources[src]
        img = imgs[int(rng.integers(len(imgs)))]
        h, w = img.shape[:2]
        if h < size or w < size:
            pad = ((0, max(0, size - h)), (0, max(0, size - w))) + ((0, 0),) * (img.ndim - 2)
            img = np.pad(img, pad, constant_values=255)
            h, w = img.shape[:2]
        for _ in range(4):  # avoid blank crops (white margins of clip art)
            y, x = int(rng.integers(0, h - size + 1)), int(rng.integers(0, w - size + 1))
            crop = img[y:y + size, x:x + size]
            if crop.std() > 12:
                break
        if rng.random() < 0.5:
            crop = crop[:, ::-1]
        crop = np.ascontiguousarray(crop).astype(np.float32) / 255
        if crop.ndim == 2:
            return np.repeat(crop[None], 3, 0)
        return crop.transpose(2, 0, 1).copy()


class SyntheticBank:
    """No data needed (CI smoke test): random shapes and strokes, manga-ised."""

    def sample(self, rng, size):
        img = np.full((size, size, 3), 255, np.uint8)
        for _ in range(int(rng.integers(3, 9))):
            c = tuple(int(v) for v in rng.integers(0, 256, 3))
            p = tuple(int(v) for v in rng.integers(0, size, 2))
            if rng.random() < 0.5:
                cv2.circle(img, p, int(rng.integers(4, size // 3)), c, -1 if rng.random() < 0.7 else 2)
            else:
                cv2.line(img, p, tuple(int(v) for v in rng.integers(0, size, 2)), c, int(rng.integers(1, 6)))
        g = mangaise(img, rng).astype(np.float32) / 255
        return np.repeat(g[None], 3, 0)

    def cache_count(self):
        return 0

    def load(self, verbose=True):
        pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-cache", action="store_true")
    ap.add_argument("--n-clipart", type=int, default=900)
    ap.add_argument("--preview", help="write a grid of samples to this PNG")
    a = ap.parse_args()
    if a.build_cache:
        build_cache(a.n_clipart)
    if a.preview:
        rng = np.random.default_rng(0)
        bank = Bank()
        tiles = [(bank.sample(rng, 256).transpose(1, 2, 0) * 255).astype(np.uint8) for _ in range(12)]
        grid = np.vstack([np.hstack(tiles[i:i + 4]) for i in range(0, 12, 4)])
        cv2.imwrite(a.preview, cv2.cvtColor(grid, cv2.COLOR_RGB2BGR))


if __name__ == "__main__":
    main()
