#!/usr/bin/python3
"""Writes the inputs of the mosaic-detection benchmark (bench/mosaic-detect.js), built with
../shared/tools/eval_cases.py's own `crop` and `mosaic` functions, so the pixelation is
exactly the one the evaluation uses (block grid aligned to the crop's origin, every block
touching the hole replaced by its mean, written as PNG; no green paint anywhere).

usage: mosaic-cases.py CASES_JSON DATA_ROOT EVAL_CASES_PY OUT_DIR

OUT_DIR/mosaic/<id>.png   the 20 mosaic cases, pixelated, unpainted
OUT_DIR/truth/<id>.png    white where the pixelation changed the block structure: every
                          block touching the hole (the blocks `mosaic` replaced)
OUT_DIR/clean/<id>.png    the 140 other cases' crops, untouched (no hole, no paint)
OUT_DIR/cases.json        [{id, kind, block, source}]
"""
import importlib.util, json, os, sys

import cv2
import numpy as np


def main():
    cases_json, root, tool, out = sys.argv[1:5]
    spec = importlib.util.spec_from_file_location("eval_cases", tool)
    ev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ev)
    cases = json.load(open(cases_json))["cases"]
    mdir = os.path.join(os.path.dirname(cases_json), "masks")
    for d in ("mosaic", "truth", "clean"):
        os.makedirs(os.path.join(out, d), exist_ok=True)
    listed = []
    for c in cases:
        gt = ev.crop(root, c)
        if c["kind"] == "mosaic":
            hole = cv2.imread(os.path.join(mdir, c["id"] + ".png"), cv2.IMREAD_GRAYSCALE) > 127
            b = c["block"]
            mos = ev.mosaic(gt, hole, b)
            truth = np.zeros(hole.shape, np.uint8)
            h, w = hole.shape
            for y in range(0, h, b):
                for x in range(0, w, b):
                    if hole[y:y + b, x:x + b].any():
                        truth[y:y + b, x:x + b] = 255
            cv2.imwrite(os.path.join(out, "mosaic", c["id"] + ".png"), mos)
            cv2.imwrite(os.path.join(out, "truth", c["id"] + ".png"), truth)
        else:
            cv2.imwrite(os.path.join(out, "clean", c["id"] + ".png"), gt)
        listed.append({"id": c["id"], "kind": c["kind"], "block": c.get("block"), "source": c["source"]})
    json.dump(listed, open(os.path.join(out, "cases.json"), "w"), indent=1)


if __name__ == "__main__":
    main()
