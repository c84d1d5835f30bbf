#!/usr/bin/python3
"""Quick progress check of a checkpoint on the evaluation cases (evaluation only, never
training): same crops, masks, mosaic and scores as ../shared/tools/eval_cases.py, beside
OpenCV Telea (and the mosaic left as is). The model runs on the whole 512x512 crop at native
scale, known pixels kept, gray crops forced gray (as the pipeline does).

  /usr/bin/python3 training/eval_quick.py --ckpt training/runs/bar-w20/last.pt [--limit 40]
  /usr/bin/python3 training/eval_quick.py --ckpt BAR.pt --mosaic-ckpt MOSAIC.pt --limit 0   # all 160

The official numbers come from eval_cases.py through the CLI (see models/README.md).
"""
import argparse, importlib.util, json, os, sys, time
from collections import defaultdict

import cv2
import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from export import load_checkpoint  # noqa: E402
from masks import block_means, mosaic_prior, project_block_means  # noqa: E402

SHARED = os.environ.get("SHARED_DIR", os.path.join(HERE, "..", "..", "shared"))


def load_eval_module():
    path = os.path.join(SHARED, "tools", "eval_cases.py")
    spec = importlib.util.spec_from_file_location("eval_cases", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def run_model(net, bgr, hole, mosaic):
    """bgr uint8 [H,W,3] input (hole pixels: anything for bars, the mosaic for mosaic cases)."""
    rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB).astype(np.float32) / 255
    h, w = hole.shape
    m = net.multiple
    H, W = -(-h // m) * m, -(-w // m) * m
    img = np.zeros((3, H, W), np.float32)
    msk = np.zeros((1, H, W), np.float32)
    img[:, :h, :w] = rgb.transpose(2, 0, 1)
    msk[0, :h, :w] = (~hole).astype(np.float32)
    with torch.no_grad():
        out = net(torch.from_numpy(img)[None], torch.from_numpy(msk)[None], mosaic)[0].clamp(0, 1).numpy()
    out = out[:, :h, :w].transpose(1, 2, 0)
    known = rgb[~hole]
    if np.abs(known - known.mean(1, keepdims=True)).max() < 2 / 255:  # gray page: gray fill
        out = np.repeat(out.mean(2, keepdims=True), 3, 2)
    res = rgb.copy()
    res[hole] = out[hole]
    return cv2.cvtColor((res * 255 + 0.5).clip(0, 255).astype(np.uint8), cv2.COLOR_RGB2BGR)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", required=True, help="bar (holes) checkpoint")
    ap.add_argument("--mosaic-ckpt", help="mosaic checkpoint (default: mosaic cases skipped)")
    ap.add_argument("--limit", type=int, default=40, help="about this many cases, evenly spread over the groups (0 = all)")
    ap.add_argument("--only", help="comma-separated groups, e.g. mosaic or bars,0.01-0.10")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--json", help="write the group means here")
    ap.add_argument("--no-project", action="store_true", help="mosaic prior models: skip the final projection onto the block means")
    ap.add_argument("--keep", help="write outputs (PNG) here")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    ev = load_eval_module()
    cases_path = os.path.join(SHARED, "data", "eval", "cases", "cases.json")
    root = os.path.join(SHARED, "data", "eval", "openmantra")
    cases = json.load(open(cases_path))["cases"]
    if not a.mosaic_ckpt:
        cases = [c for c in cases if c["kind"] != "mosaic"]
    if a.only:
        cases = [c for c in cases if c.get("bucket", c["kind"]) in a.only.split(",")]
    if a.limit:  # the same number of evenly spaced cases from every group
        groups = defaultdict(list)
        for c in cases:
            groups[c.get("bucket", c["kind"])].append(c)
        k = max(1, a.limit // len(groups))
        cases = [c for g in groups.values() for c in g[:: max(1, len(g) // k)][:k]]
    net, ck = load_checkpoint(a.ckpt)
    net.eval()
    mnet, mprior = None, False
    if a.mosaic_ckpt:
        mnet, mck = load_checkpoint(a.mosaic_ckpt)
        mnet.eval()
        mprior = mck["cfg"].get("input") == "mosaic-prior"
    mdir = os.path.join(os.path.dirname(cases_path), "masks")
    res = defaultdict(lambda: defaultdict(list))
    t0 = time.time()
    for c in cases:
        gt = ev.crop(root, c)
        hole = cv2.imread(os.path.join(mdir, c["id"] + ".png"), cv2.IMREAD_GRAYSCALE) > 127
        g = c.get("bucket", c["kind"])
        if c["kind"] == "mosaic":
            inp = ev.mosaic(gt, hole, c["block"])
            feed, B = inp, c["block"]
            if mprior:  # the block-mean prior the pipeline computes (it detects the grid; here it is given)
                x = cv2.cvtColor(inp, cv2.COLOR_BGR2RGB).transpose(2, 0, 1).astype(np.float32) / 255
                pr = mosaic_prior(x, (~hole).astype(np.float32), B)
                feed = cv2.cvtColor((pr.transpose(1, 2, 0) * 255 + 0.5).clip(0, 255).astype(np.uint8), cv2.COLOR_RGB2BGR)
            out = run_model(mnet, feed, hole, True)
            if mprior and not a.no_project:
                x = cv2.cvtColor(inp, cv2.COLOR_BGR2RGB).transpose(2, 0, 1).astype(np.float32) / 255
                o = cv2.cvtColor(out, cv2.COLOR_BGR2RGB).transpose(2, 0, 1).astype(np.float32) / 255
                o = project_block_means(o, hole, block_means(x, B), B)
                out = cv2.cvtColor((o.transpose(1, 2, 0) * 255 + 0.5).clip(0, 255).astype(np.uint8), cv2.COLOR_RGB2BGR)
            res[g]["mosaic-left-as-is"].append(ev.scores(inp, gt, hole))
        else:
            inp = gt.copy(); inp[hole] = ev.GREEN
            out = run_model(net, inp, hole, False)
        telea = cv2.inpaint(inp, hole.astype(np.uint8) * 255, 5, cv2.INPAINT_TELEA)
        res[g]["model"].append(ev.scores(out, gt, hole))
        res[g]["telea"].append(ev.scores(telea, gt, hole))
        if a.keep:
            os.makedirs(a.keep, exist_ok=True)
            cv2.imwrite(os.path.join(a.keep, c["id"] + ".png"), np.hstack([inp, out, telea, gt]))
    order = sorted(k for k in res if k[0].isdigit()) + [k for k in ("bars", "mosaic") if k in res]
    print(f"{os.path.basename(a.ckpt)} step {ck.get('step')}: {len(cases)} cases, {time.time() - t0:.0f} s")
    print("| group | n | method | PSNR dB | SSIM | L1 hole % | texture ratio |")
    print("|---|---|---|---|---|---|---|")
    summary = {}
    allm = defaultdict(list)
    for g in order:
        for name, s in res[g].items():
            s = np.array(s)
            allm[name] += list(s) if name != "mosaic-left-as-is" else []
            summary[f"{g}/{name}"] = s.mean(0).tolist()
            print(f"| {g} | {len(s)} | {name} | {s[:,0].mean():.2f} | {s[:,1].mean():.4f} | {100*s[:,2].mean():.2f} | {s[:,3].mean():.2f} |")
    for name in ("model", "telea"):
        s = np.array(allm[name])
        if len(order) < 2 or not len(s):
            break
        summary[f"all/{name}"] = s.mean(0).tolist()
        print(f"| all | {len(s)} | {name} | {s[:,0].mean():.2f} | {s[:,1].mean():.4f} | {100*s[:,2].mean():.2f} | {s[:,3].mean():.2f} |")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"ckpt": a.ckpt, "step": ck.get("step"), "groups": summary}, f, indent=1)


if __name__ == "__main__":
    main()
