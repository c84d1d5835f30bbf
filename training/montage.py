#!/usr/bin/python3
"""Side-by-side crops for the model card's picture: rows of [input | ours | OpenCV Telea | ground
truth], each a window around the hole, from the panels that `eval_quick.py --keep DIR` writes.
The evaluation pages are CC BY-NC (evaluation only): the picture is for looking at, not for
committing.

  /usr/bin/python3 training/eval_quick.py --ckpt BAR.pt --mosaic-ckpt MOSAIC.pt --limit 0 --keep /tmp/keep
  /usr/bin/python3 training/montage.py /tmp/keep /tmp/montage.png --ids 004,046,087,123,135,150
"""
import argparse, os
import cv2
import numpy as np

SHARED = os.environ.get("SHARED_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("keep")
    ap.add_argument("out")
    ap.add_argument("--ids", required=True, help="comma-separated case ids")
    ap.add_argument("--size", type=int, default=192, help="window side (px of the 512 crop)")
    ap.add_argument("--zoom", type=float, default=1.5)
    a = ap.parse_args()
    rows = []
    for i in a.ids.split(","):
        im = cv2.imread(os.path.join(a.keep, i + ".png"), cv2.IMREAD_COLOR)
        hole = cv2.imread(os.path.join(SHARED, "data", "eval", "cases", "masks", i + ".png"), cv2.IMREAD_GRAYSCALE) > 127
        if im is None:
            raise SystemExit(f"no panel {i}.png in {a.keep}")
        ys, xs = np.nonzero(hole)
        # the window with the most hole pixels among a coarse grid of positions
        s = a.size
        best, by, bx = -1, 0, 0
        for y in range(0, 512 - s + 1, 16):
            for x in range(0, 512 - s + 1, 16):
                n = hole[y:y + s, x:x + s].sum()
                if n > best:
                    best, by, bx = n, y, x
        panels = [im[by:by + s, k * 512 + bx:k * 512 + bx + s] for k in range(4)]
        sep = np.full((s, 4, 3), 255, np.uint8)
        row = np.hstack([p if j == 0 else np.hstack([sep, p]) for j, p in enumerate(panels)])
        cv2.putText(row, i, (4, 16), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (0, 0, 255), 1)
        rows.append(row)
        rows.append(np.full((4, row.shape[1], 3), 255, np.uint8))
    out = np.vstack(rows[:-1])
    out = cv2.resize(out, None, fx=a.zoom, fy=a.zoom, interpolation=cv2.INTER_NEAREST)
    cv2.imwrite(a.out, out)
    print(f"wrote {a.out} ({out.shape[1]}x{out.shape[0]}): rows = cases, columns = input | ours | Telea | ground truth")


if __name__ == "__main__":
    main()
