#!/usr/bin/python3
"""Score several output folders on the evaluation cases with eval_cases.py's own functions.

usage (from the repository root; needs Debian's python3-opencv, numpy, skimage):
  /usr/bin/python3 bench/texture/score_dirs.py NAME=DIR [NAME=DIR ...] [--telea CACHE_DIR] [--no-ssim]

Each DIR holds <id>.png for the hole cases ('bucket' and 'bars'; mosaic cases are skipped, as
eval_cases.py skips them without --cmd-mosaic). Crops, holes and scores are computed by
../shared/tools/eval_cases.py (imported, not copied), so the numbers are the benchmark's.
--telea: compute OpenCV Telea (radius 5, as eval_cases.py --baselines) once and keep its PNGs there.
"""
import os, sys, json
from collections import defaultdict

import cv2
import numpy as np

SHARED = os.environ.get("INPAINT_SHARED", os.path.join(os.getcwd(), "..", "shared"))
sys.path.insert(0, os.path.join(SHARED, "tools"))
import eval_cases as ev  # noqa: E402


def main():
    args = sys.argv[1:]
    telea = None
    ssim = "--no-ssim" not in args
    if "--telea" in args:
        telea = args[args.index("--telea") + 1]
        del args[args.index("--telea"): args.index("--telea") + 2]
    args = [a for a in args if a != "--no-ssim"]
    dirs = dict(a.split("=", 1) for a in args)
    cases_json = os.path.join(SHARED, "data/eval/cases/cases.json")
    root = os.path.join(SHARED, "data/eval/openmantra")
    cases = [c for c in json.load(open(cases_json))["cases"] if c["kind"] != "mosaic"]
    mdir = os.path.join(os.path.dirname(cases_json), "masks")
    if telea:
        os.makedirs(telea, exist_ok=True)
        dirs = {"opencv-telea": telea, **dirs}
    per = defaultdict(lambda: defaultdict(list))
    changed = defaultdict(int)
    for c in cases:
        gt = ev.crop(root, c)
        hole = cv2.imread(os.path.join(mdir, c["id"] + ".png"), cv2.IMREAD_GRAYSCALE) > 127
        g = gt.copy(); g[hole] = ev.GREEN
        if telea and not os.path.exists(os.path.join(telea, c["id"] + ".png")):
            cv2.imwrite(os.path.join(telea, c["id"] + ".png"), cv2.inpaint(g, hole.astype(np.uint8) * 255, 5, cv2.INPAINT_TELEA))
        for name, d in dirs.items():
            o = cv2.imread(os.path.join(d, c["id"] + ".png"), cv2.IMREAD_COLOR)
            if o is None or o.shape != gt.shape:
                sys.exit(f"missing or mis-sized {name} output for case {c['id']}")
            s = ev.scores(o, gt, hole) if ssim else fast_scores(o, gt, hole)
            group = c.get("bucket", c["kind"])
            per[group][name].append(s)
            per["all"][name].append(s)
            changed[name] += int((np.abs(o.astype(int) - g.astype(int)).max(axis=2)[~hole] > 2).sum())
    order = sorted(k for k in per if k[0].isdigit()) + [k for k in ("bars", "all") if k in per]
    print("| group | n | method | PSNR dB | SSIM | L1 hole % | texture ratio | texture median |")
    print("|---|---|---|---|---|---|---|---|")
    for gname in order:
        for name in dirs:
            s = np.array(per[gname][name])
            print(f"| {gname} | {len(s)} | {name} | {s[:,0].mean():.2f} | {s[:,1].mean():.4f} | {100*s[:,2].mean():.2f} | {s[:,3].mean():.2f} | {np.median(s[:,3]):.2f} |")
    print()
    print("pixels changed outside the holes: " + ", ".join(f"{k} {v}" for k, v in changed.items()))


def fast_scores(out, gt, hole):
    """eval_cases.scores without SSIM (reported as nan): for quick iterations only."""
    g_out = cv2.cvtColor(out, cv2.COLOR_BGR2GRAY).astype(np.float64)
    g_gt = cv2.cvtColor(gt, cv2.COLOR_BGR2GRAY).astype(np.float64)
    mse = ((out.astype(np.float64) - gt.astype(np.float64)) ** 2).mean()
    psnr = 99.0 if mse == 0 else 10 * np.log10(255.0 ** 2 / mse)
    l1 = np.abs(out.astype(np.float64) - gt.astype(np.float64))[hole].mean() / 255.0
    lap_o = np.abs(cv2.Laplacian(g_out, cv2.CV_64F))[hole].mean()
    lap_g = np.abs(cv2.Laplacian(g_gt, cv2.CV_64F))[hole].mean()
    return psnr, float("nan"), l1, lap_o / lap_g if lap_g > 1e-6 else 1.0


if __name__ == "__main__":
    main()
