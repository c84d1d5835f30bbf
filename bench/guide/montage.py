#!/usr/bin/python3
"""Before/after pictures of guide strokes on training pages (Black Jack, Pepper&Carrot: credited in
docs/guide.md): page with the hole | the guide (the page's own thin ink lines in the hole, drawn
as eval_cases.py's guide_for draws them, plus a few colour dots) | our fill without the guide |
with the guide | the untouched page. Never reads the evaluation set.

    /usr/bin/python3 bench/guide/montage.py docs/screenshots/guide-strokes.png
"""
import importlib.util, os, subprocess, sys, tempfile

import cv2
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SHARED = os.path.join(ROOT, "..", "shared")
CROPS = [("blackjack/black_jack_v01_pdf009.jpg", 300, 700, 384), ("peppercarrot/ep1_02.webp", 500, 900, 384)]


def main():
    out = sys.argv[1]
    spec = importlib.util.spec_from_file_location("ev", os.path.join(SHARED, "tools", "eval_cases.py"))
    ev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ev)
    rng = np.random.default_rng(3)
    rows = []
    with tempfile.TemporaryDirectory() as t:
        for d in ("in", "guides", "plain", "guided"):
            os.makedirs(os.path.join(t, d))
        cases = []
        for k, (f, x, y, s) in enumerate(CROPS):
            page = cv2.imread(os.path.join(SHARED, "data", "train", f))
            gt = page[y:y + s, x:x + s].copy()
            hole = np.zeros((s, s), bool)
            cv2.ellipse(hole.view(np.uint8), (s // 2, s // 2), (s // 4, s // 6), 20, 0, 360, 1, -1)
            hole = hole.astype(bool)
            src = gt.copy()
            src[hole] = (0, 255, 0)
            guide = ev.guide_for(gt, hole, rng)
            cv2.imwrite(os.path.join(t, "in", f"{k}.png"), src)
            cv2.imwrite(os.path.join(t, "guides", f"{k}.png"), guide)
            cases.append((gt, src, guide))
        cli = os.path.join(ROOT, "dist", "cli.js")
        subprocess.run(["node", cli, os.path.join(t, "in"), "--out", os.path.join(t, "plain")], check=True)
        subprocess.run(["node", cli, os.path.join(t, "in"), "--guides", os.path.join(t, "guides"), "--out", os.path.join(t, "guided")], check=True)
        for k, (gt, src, guide) in enumerate(cases):
            shown = np.full(gt.shape, 255, np.uint8)
            a = guide[..., 3] > 0
            shown[a] = guide[..., :3][a]
            tiles = [src, shown, cv2.imread(os.path.join(t, "plain", f"{k}.png")), cv2.imread(os.path.join(t, "guided", f"{k}.png")), gt]
            rows.append(np.concatenate(tiles, 1))
    cv2.imwrite(out, np.concatenate(rows, 0))
    print(f"wrote {out}: page with the hole | guide | fill without the guide | with the guide | untouched page")


if __name__ == "__main__":
    main()
