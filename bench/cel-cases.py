#!/usr/bin/python3
"""A check set of clean colour cel art with thin brush-stroke holes (the kind of page and hole
DeepCreamPy's mermaid sample is), made from training-licence art: Ren'Py's character sprites and
concert art (MIT, Debian's renpy-demo / renpy-thequestion) and colourful openclipart images
(public domain, Debian's openclipart-png), the same files training/data.py reads. The network has
seen these images in training (not these crops and holes), so use the set to compare fills of
flat colour art (classical fills, upsampling, post-processing), not to claim generalisation.

    /usr/bin/python3 bench/cel-cases.py make DIR                  # DIR/in (green holes), truth, mask: 30 crops of 320²
    /usr/bin/python3 bench/cel-cases.py baselines DIR             # DIR/telea, DIR/ns, DIR/fsr (OpenCV)
    node dist/cli.js DIR/in --out DIR/ours                        # any fill into DIR/<name>
    /usr/bin/python3 bench/cel-cases.py score DIR ours telea fsr  # PSNR over the crop and over the hole, structure F1

Holes: 2-4 strokes of 10-22 px, hard-edged (#00FF00, no anti-aliasing), 3-20 % of the crop.
Structure F1 is ../shared/tools/eval_cases.py's (skipped without it). Deterministic (seed 16).
Exits with a clear line when the art is not installed (training/setup_data.sh installs it).
"""
import glob, os, sys

import cv2
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "training"))
SIDE = 320


def load(f):
    im = cv2.imread(f, cv2.IMREAD_UNCHANGED)
    if im is None:
        return None
    if im.ndim == 2:
        im = cv2.cvtColor(im, cv2.COLOR_GRAY2BGR)
    if im.shape[2] == 4:  # sprites: composite on white
        a = im[..., 3:4] / 255.0
        im = (im[..., :3] * a + 255 * (1 - a)).astype(np.uint8)
    return im


def make(out):
    import data  # training/data.py: where the art is

    rng = np.random.default_rng(16)
    keys = ("eileen", "lucy", "sylvie blue normal", "sylvie green smile", "concert")
    srcs = [f for f in data.renpy_files() if any(k in f for k in keys) and os.path.exists(f)]
    clip = data.clipart_files()
    if not srcs or not clip:
        sys.exit("cel-cases: Ren'Py or openclipart art not found (training/setup_data.sh installs renpy-demo, renpy-thequestion, openclipart-png)")
    rng.shuffle(clip)
    picked = []
    for f in clip:
        im = load(f)
        if im is None or min(im.shape[:2]) < 300:
            continue
        if (cv2.cvtColor(im, cv2.COLOR_BGR2HSV)[..., 1] > 60).mean() < 0.25:
            continue
        picked.append(f)
        if len(picked) == 26:
            break
    for d in ("in", "truth", "mask"):
        os.makedirs(os.path.join(out, d), exist_ok=True)
    n = 0
    for f in srcs + picked:
        im = load(f)
        s = min(1.0, 900 / max(im.shape[:2]))
        if s < 1:
            im = cv2.resize(im, None, fx=s, fy=s, interpolation=cv2.INTER_AREA)
        if min(im.shape[:2]) < SIDE:
            k = SIDE / min(im.shape[:2]) * 1.05
            im = cv2.resize(im, None, fx=k, fy=k, interpolation=cv2.INTER_CUBIC)
        for _ in range(40):  # a crop with content: not mostly paper, some detail
            y = int(rng.integers(0, im.shape[0] - SIDE + 1))
            x = int(rng.integers(0, im.shape[1] - SIDE + 1))
            crop = im[y:y + SIDE, x:x + SIDE]
            g = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
            if (g > 245).mean() < 0.5 and cv2.Laplacian(g, cv2.CV_32F).std() > 4:
                break
        else:
            continue
        m = np.zeros((SIDE, SIDE), np.uint8)
        for _ in range(int(rng.integers(2, 5))):
            pts = np.cumsum(rng.normal(0, 45, (int(rng.integers(3, 6)), 2)), 0) + rng.uniform(60, SIDE - 60, 2)
            cv2.polylines(m, [pts.astype(np.int32)], False, 255, int(rng.integers(10, 23)), cv2.LINE_8)
        if not 0.03 < (m > 0).mean() < 0.2:
            continue
        painted = crop.copy()
        painted[m > 0] = (0, 255, 0)
        name = f"{n:03d}.png"
        cv2.imwrite(os.path.join(out, "truth", name), crop)
        cv2.imwrite(os.path.join(out, "in", name), painted)
        cv2.imwrite(os.path.join(out, "mask", name), m)
        n += 1
    print(f"cel-cases: {n} crops in {out}")


def names(root):
    return sorted(os.path.basename(f) for f in glob.glob(os.path.join(root, "truth", "*.png")))


def baselines(root):
    for m in ("telea", "ns", "fsr"):
        os.makedirs(os.path.join(root, m), exist_ok=True)
    for n in names(root):
        t = cv2.imread(os.path.join(root, "truth", n))
        h = cv2.imread(os.path.join(root, "mask", n), 0) > 0
        s = t.copy()
        s[h] = 0
        u = h.astype(np.uint8) * 255
        cv2.imwrite(os.path.join(root, "telea", n), cv2.inpaint(s, u, 5, cv2.INPAINT_TELEA))
        cv2.imwrite(os.path.join(root, "ns", n), cv2.inpaint(s, u, 5, cv2.INPAINT_NS))
        o = np.zeros_like(s)
        cv2.xphoto.inpaint(s, (~h).astype(np.uint8) * 255, o, cv2.xphoto.INPAINT_FSR_FAST)
        o[~h] = t[~h]  # FSR also rewrites known pixels slightly
        cv2.imwrite(os.path.join(root, "fsr", n), o)


def score(root, methods):
    try:
        sys.path.insert(0, os.path.join(HERE, "..", "..", "shared", "tools"))
        from eval_cases import structure_f1
    except ImportError:
        structure_f1 = None
    floor = 255 ** 2 / 1e6  # PSNR capped at 60 dB (a flat crop refilled exactly)
    print("| fill | PSNR crop dB | PSNR hole dB | structure F1 | pixels changed outside the strokes |")
    print("|---|---|---|---|---|")
    for m in methods:
        p, q, f, outside = [], [], [], 0
        for n in names(root):
            t = cv2.imread(os.path.join(root, "truth", n)).astype(np.float64)
            h = cv2.imread(os.path.join(root, "mask", n), 0) > 0
            o = cv2.imread(os.path.join(root, m, n))
            if o is None:
                sys.exit(f"cel-cases: {root}/{m}/{n} is missing")
            o = o.astype(np.float64)
            p.append(10 * np.log10(255 ** 2 / max(((o - t) ** 2).mean(), floor)))
            q.append(10 * np.log10(255 ** 2 / max(((o - t)[h] ** 2).mean(), floor)))
            if structure_f1:
                f.append(structure_f1(o.astype(np.uint8), t.astype(np.uint8), h))
            outside += int((np.abs(o - t).max(-1) > 0)[~h].sum())
        f1 = f"{np.mean(f):.3f}" if f else "—"
        print(f"| {m} | {np.mean(p):.2f} | {np.mean(q):.2f} | {f1} | {outside} |")


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in ("make", "baselines", "score"):
        sys.exit(__doc__)
    {"make": lambda: make(sys.argv[2]), "baselines": lambda: baselines(sys.argv[2]), "score": lambda: score(sys.argv[2], sys.argv[3:])}[sys.argv[1]]()
