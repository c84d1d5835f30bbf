#!/usr/bin/python3
"""Side-by-side pictures of colorization results: grey | ours 0 hints | ours 10 hints | Levin 2004
with 10 hints | truth, one row per evaluation crop (../shared/data/eval/color, evaluation only).

    /usr/bin/python3 ../shared/tools/eval_colorize.py ../shared/data/eval/color/cases.json ../shared/data/eval/color \
        --cmd "node dist/cli.js colorize {in} --hints {hints} --out {out}" --keep /tmp/czeval
    /usr/bin/python3 bench/colorize/montage.py /tmp/czeval bench/out/colorize.png [--rows 0,1,2,3] [--side 256]
"""
import argparse, importlib.util, json, os, sys

import cv2
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.join(HERE, "..", "..", "..", "shared")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("keep", help="the --keep folder of an eval_colorize.py run (in/, hints/, out/)")
    ap.add_argument("out")
    ap.add_argument("--rows", default="0,1,2,3,4")
    ap.add_argument("--side", type=int, default=256)
    ap.add_argument("--shared", default=SHARED)
    a = ap.parse_args()
    spec = importlib.util.spec_from_file_location("ev", os.path.join(a.shared, "tools", "eval_colorize.py"))
    ev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ev)
    root = os.path.join(a.shared, "data", "eval", "color")
    cases = json.load(open(os.path.join(root, "cases.json")))["cases"]
    crops = {}
    for c in cases:
        crops.setdefault((c["source"], c["x"], c["y"]), {})[c["hints"]] = c
    keys = list(crops)
    rows = []
    for r in (int(v) for v in a.rows.split(",")):
        byh = crops[keys[r]]
        c0, c10 = byh[0], byh[10]
        img = cv2.imread(os.path.join(root, c0["source"]))
        gt = img[c0["y"]:c0["y"] + c0["size"], c0["x"]:c0["x"] + c0["size"]]
        grey = cv2.imread(os.path.join(a.keep, "in", c0["id"] + ".png"), cv2.IMREAD_GRAYSCALE)
        hints10 = cv2.imread(os.path.join(a.keep, "hints", c10["id"] + ".png"), cv2.IMREAD_UNCHANGED)
        ours0 = cv2.imread(os.path.join(a.keep, "out", c0["id"] + ".png"))
        ours10 = cv2.imread(os.path.join(a.keep, "out", c10["id"] + ".png"))
        lev = ev.levin(grey, hints10)
        # the hints drawn over the grey input of the 10-hint column, so the picture shows what was given
        shown = cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR)
        m = hints10[..., 3] > 0
        shown[m] = hints10[..., :3][m]
        tiles = [shown, ours0, ours10, lev, gt]
        rows.append(np.concatenate([cv2.resize(t, (a.side, a.side), interpolation=cv2.INTER_AREA) for t in tiles], 1))
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    cv2.imwrite(a.out, np.concatenate(rows, 0))
    print(f"wrote {a.out}: columns grey+10 hints | ours 0 hints | ours 10 hints | Levin 10 hints | truth")


if __name__ == "__main__":
    sys.exit(main())
