#!/usr/bin/python3
"""Colorization model: a small U-Net that predicts a page's chroma from its luminance and
optional user colour hints (the job DeOldify does, with Zhang et al. 2017's hint input).

Colour convention (shared with src/core/colorize.ts, keep in sync):
  * input lightness: Y = 0.299 R + 0.587 G + 0.114 B (BT.601 luma, 0..1: what a grey page is);
  * chroma: CIELAB a*, b* (D65, sRGB) divided by 100 (so ~[-1, 1]).
The network sees [Y - 0.5, hint a, hint b, hint mask] at the working resolution and outputs
[a, b]; the page is recomposed in CIELAB from its own full-resolution lightness (L* of each
pixel's grey) and the upsampled chroma, so the page's lines and tones are never redrawn
(luminance drift ~0.03 L* for the true colours, where keeping BT.601 luma drifts 1.6).

Training data (all redistributable; the two Pepper&Carrot files copied into
shared/data/eval/color are excluded by name and never read):
  * Pepper&Carrot (David Revoy, CC BY 4.0): comic pages and artworks in shared/data/train;
  * Ren'Py demo / The Question art (MIT, Debian renpy-demo / renpy-thequestion);
  * openclipart colour drawings (public domain, Debian openclipart-png).
The luminance is given as is (a grey page), sometimes manga-ised (ink + screentone, as the
fill models' data) or JPEG-compressed. Hints as Zhang et al. 2017: 40 % of samples none,
else a geometric number of 1-4 px patches of the true mean colour, sometimes short strokes.

    nice -n 19 /usr/bin/python3 training/colorize.py train --run colorize --minutes 120 [--resume]
    /usr/bin/python3 training/colorize.py export --ckpt training/checkpoints/colorize.pt --out models/colorize.onnx
    """
from __future__ import annotations

import argparse, glob, hashlib, json, math, os, sys, time

import cv2
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from data import SHARED, imread_rgb, mangaise, jpeg, clipart_files, renpy_files  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
# Copies of these two are the colorization evaluation set: never train the colorizer on them.
EVAL_COLOUR_FILES = {"ep2_03.webp", "2015-09-15_witches-of-chaosah-family_by-David-Revoy.jpg"}

def rgb_to_lab(rgb: np.ndarray) -> np.ndarray:
    """uint8 RGB [..., 3] -> float32 [..., 3]: L*/100, a*/100, b*/100."""
    return cv2.cvtColor(rgb.astype(np.float32) / 255, cv2.COLOR_RGB2Lab) / 100


# ---------------------------------------------------------------- data
def colourfulness(rgb):
    r, g, b = [rgb[..., i].astype(np.float64) for i in range(3)]
    rg, yb = r - g, 0.5 * (r + g) - b
    return np.sqrt(rg.std() ** 2 + yb.std() ** 2) + 0.3 * np.sqrt(rg.mean() ** 2 + yb.mean() ** 2)


class ColourBank:
    WEIGHTS = {"pepper": 0.5, "renpy": 0.3, "clipart": 0.2}

    def __init__(self, max_clipart=500, verbose=True):
        self.sources = {"pepper": [], "renpy": [], "clipart": []}
        for f in sorted(glob.glob(os.path.join(SHARED, "train", "peppercarrot", "*"))):
            if os.path.basename(f) in EVAL_COLOUR_FILES:
                continue
            img = imread_rgb(f)
            if img is None or colourfulness(img[::8, ::8]) < 15:
                continue  # the pencil sketch is grey: nothing to learn about colour
            # the evaluation colours 512 px crops of full-resolution pages at half resolution
            for s in (0.3, 0.4, 0.5, 0.65):
                self.sources["pepper"].append(cv2.resize(img, None, fx=s, fy=s, interpolation=cv2.INTER_AREA))
        for f in renpy_files():
            img = imread_rgb(f)
            if img is None or min(img.shape[:2]) < 128 or colourfulness(img[::4, ::4]) < 15:
                continue
            s = min(1.0, 900 / max(img.shape[:2]))
            if s < 1:
                img = cv2.resize(img, None, fx=s, fy=s, interpolation=cv2.INTER_AREA)
            self.sources["renpy"].append(img)
        rng = np.random.default_rng(7)
        files = clipart_files()
        rng.shuffle(files)
        for f in files:
            if len(self.sources["clipart"]) >= max_clipart:
                break
            img = imread_rgb(f)
            if img is None or min(img.shape[:2]) < 96 or colourfulness(img[::4, ::4]) < 25:
                continue
            s = float(rng.uniform(300, 700)) / max(img.shape[:2])
            self.sources["clipart"].append(cv2.resize(img, None, fx=s, fy=s, interpolation=cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR))
        if verbose:
            print("colour data: " + ", ".join(f"{k} {len(v)}" for k, v in self.sources.items()), flush=True)

    def sample(self, rng, size):
        names = [k for k in self.WEIGHTS if self.sources[k]]
        p = np.array([self.WEIGHTS[k] for k in names])
        src = self.sources[names[int(rng.choice(len(names), p=p / p.sum()))]]
        img = src[int(rng.integers(len(src)))]
        h, w = img.shape[:2]
        if h < size or w < size:
            pad = np.full((max(h, size), max(w, size), 3), 255, np.uint8)
            pad[:h, :w] = img
            img, h, w = pad, pad.shape[0], pad.shape[1]
        y, x = int(rng.integers(0, h - size + 1)), int(rng.integers(0, w - size + 1))
        crop = img[y:y + size, x:x + size]
        if rng.random() < 0.5:
            crop = crop[:, ::-1]
        return np.ascontiguousarray(crop)


class SyntheticColourBank:
    """Generated colour pictures (ellipses of random colours with ink outlines) for the CI smoke test."""

    def sample(self, rng, size):
        img = np.full((size, size, 3), 255, np.uint8)
        for _ in range(int(rng.integers(3, 8))):
            c = tuple(int(v) for v in rng.integers(0, 256, 3))
            centre = tuple(int(v) for v in rng.integers(0, size, 2))
            axes = tuple(int(v) for v in rng.integers(size // 10, size // 3, 2))
            cv2.ellipse(img, centre, axes, float(rng.uniform(0, 180)), 0, 360, c, -1)
            cv2.ellipse(img, centre, axes, 0, 0, 360, (20, 20, 20), 1)
        return img


def luminance_input(rgb, rng):
    """What the user's page looks like: its grey (most often), manga-ised, or JPEG'd."""
    g = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    u = rng.random()
    if u < 0.15:
        return mangaise(rgb, rng, painted=True), False
    if u < 0.25:
        return jpeg(g, rng), True
    return g, True


def simulate_hints(ycc, rng, none_p=0.4):
    """[H, W, 3] (a, b, mask) hints from [H, W, 3] (L, a, b): Zhang et al. 2017 patches of the true mean colour, strokes."""
    h, w = ycc.shape[:2]
    out = np.zeros((h, w, 3), np.float32)
    if rng.random() < none_p:
        return out
    n = int(min(rng.geometric(1 / 24), 200))
    for _ in range(n):
        s = int(rng.integers(1, 5))
        y, x = int(rng.integers(0, h - s + 1)), int(rng.integers(0, w - s + 1))
        out[y:y + s, x:x + s, :2] = ycc[y:y + s, x:x + s, 1:].reshape(-1, 2).mean(0)
        out[y:y + s, x:x + s, 2] = 1
    if rng.random() < 0.25:  # short strokes of the local median colour
        for _ in range(int(rng.integers(1, 4))):
            y, x = float(rng.integers(4, h - 4)), float(rng.integers(4, w - 4))
            c = np.median(ycc[int(y) - 3:int(y) + 4, int(x) - 3:int(x) + 4, 1:].reshape(-1, 2), 0)
            a = rng.uniform(0, 2 * math.pi)
            for _ in range(int(rng.integers(5, 25))):
                a += rng.normal(0, 0.3)
                y, x = min(max(y + math.sin(a), 1), h - 2), min(max(x + math.cos(a), 1), w - 2)
                out[int(y) - 1:int(y) + 1, int(x) - 1:int(x) + 1, :2] = c
                out[int(y) - 1:int(y) + 1, int(x) - 1:int(x) + 1, 2] = 1
    return out


def batch(bank, rng, n, size):
    xs, ts = [], []
    for _ in range(n):
        rgb = bank.sample(rng, size)
        lab = rgb_to_lab(rgb)
        lum, _ = luminance_input(rgb, rng)
        hints = simulate_hints(lab, rng)
        x = np.concatenate([(lum.astype(np.float32) / 255 - 0.5)[..., None], hints], -1)
        xs.append(x.transpose(2, 0, 1))
        ts.append(lab[..., 1:].transpose(2, 0, 1))
    return torch.from_numpy(np.stack(xs)), torch.from_numpy(np.stack(ts))


# ---------------------------------------------------------------- model
def conv(i, o, stride=1, dil=1):
    return nn.Sequential(nn.Conv2d(i, o, 3, stride, dil, dilation=dil, bias=False), nn.BatchNorm2d(o), nn.ReLU(inplace=True))


class ColorNet(nn.Module):
    """U-Net, 4 downsamplings (H, W multiples of 16), dilated bottleneck plus a global
    context vector (what kind of picture this is), hints injected at every scale."""

    multiple = 16

    def __init__(self, width=24):
        super().__init__()
        c = [width, width * 2, width * 4, width * 6, width * 8]
        self.c = c
        self.e0 = nn.Sequential(conv(4, c[0]), conv(c[0], c[0]))
        self.e1 = nn.Sequential(conv(c[0] + 3, c[1], 2), conv(c[1], c[1]))
        self.e2 = nn.Sequential(conv(c[1] + 3, c[2], 2), conv(c[2], c[2]))
        self.e3 = nn.Sequential(conv(c[2] + 3, c[3], 2), conv(c[3], c[3]))
        self.e4 = nn.Sequential(conv(c[3] + 3, c[4], 2), conv(c[4], c[4], dil=2), conv(c[4], c[4], dil=4))
        self.glob = nn.Sequential(nn.Linear(c[4], c[4]), nn.ReLU(inplace=True))
        self.d3 = nn.Sequential(conv(c[4] + c[3], c[3]), conv(c[3], c[3]))
        self.d2 = nn.Sequential(conv(c[3] + c[2], c[2]), conv(c[2], c[2]))
        self.d1 = nn.Sequential(conv(c[2] + c[1], c[1]), conv(c[1], c[1]))
        self.d0 = nn.Sequential(conv(c[1] + c[0] + 4, c[0]), conv(c[0], c[0]))
        self.out = nn.Conv2d(c[0], 2, 1)

    @staticmethod
    def _hints_down(h):
        """Average-pool hint colour and mask together, so a small hint survives downsampling."""
        m = F.avg_pool2d(h[:, 2:3], 2)
        col = F.avg_pool2d(h[:, :2] * h[:, 2:3], 2) / (m + 1e-6)
        return torch.cat([col, (m > 0).float()], 1)

    def forward(self, x):
        h0 = x[:, 1:4]
        f0 = self.e0(x)
        h1 = self._hints_down(h0)
        f1 = self.e1(torch.cat([f0, self._pool_hints(h0, f0)], 1))
        h2 = self._hints_down(h1)
        f2 = self.e2(torch.cat([f1, h1], 1))
        h3 = self._hints_down(h2)
        f3 = self.e3(torch.cat([f2, h2], 1))
        f4 = self.e4(torch.cat([f3, h3], 1))
        g = self.glob(f4.mean((2, 3)))
        f4 = f4 + g[:, :, None, None]
        u = F.interpolate(f4, scale_factor=2.0, mode="bilinear", align_corners=False)
        u = self.d3(torch.cat([u, f3], 1))
        u = F.interpolate(u, scale_factor=2.0, mode="bilinear", align_corners=False)
        u = self.d2(torch.cat([u, f2], 1))
        u = F.interpolate(u, scale_factor=2.0, mode="bilinear", align_corners=False)
        u = self.d1(torch.cat([u, f1], 1))
        u = F.interpolate(u, scale_factor=2.0, mode="bilinear", align_corners=False)
        u = self.d0(torch.cat([u, f0, x], 1))
        return self.out(u)

    @staticmethod
    def _pool_hints(h0, f0):
        return h0  # same resolution as f0: e1 downsamples by stride


def build(cfg):
    return ColorNet(cfg.get("width", 24))


# ---------------------------------------------------------------- losses
def grad_l1(a, b):
    dx = lambda t: t[:, :, :, 1:] - t[:, :, :, :-1]
    dy = lambda t: t[:, :, 1:, :] - t[:, :, :-1, :]
    return (dx(a) - dx(b)).abs().mean() + (dy(a) - dy(b)).abs().mean()


def loss_fn(pred, tgt, cfg):
    huber = F.smooth_l1_loss(pred, tgt, beta=cfg["beta"])
    return huber + cfg["w_grad"] * grad_l1(pred, tgt), huber


# ---------------------------------------------------------------- training
def save(path, net, opt, step, cfg, seconds, losses):
    tmp = path + ".tmp"
    torch.save({"cfg": cfg, "model": net.state_dict(), "opt": opt.state_dict(), "step": step, "kind": "colorize",
                "size": cfg["size"], "train_seconds": seconds, "losses": losses[-200:],
                "summary": f"colorize model: {step} steps of batch {cfg['batch']} at {cfg['size']}px "
                           f"({seconds / 3600:.1f} h on CPU), width {cfg['width']}"}, tmp)
    os.replace(tmp, path)


def train(a):
    torch.set_num_threads(a.threads)
    run = os.path.join(a.runs_root, a.run)
    os.makedirs(run, exist_ok=True)
    last = os.path.join(run, "last.pt")
    cfg = {"width": a.width, "size": a.size, "batch": a.batch, "lr": a.lr, "beta": a.beta, "w_grad": a.w_grad}
    net = build(cfg)
    opt = torch.optim.Adam(net.parameters(), lr=a.lr)
    step, seconds, losses = 0, 0.0, []
    src = last if a.resume and os.path.exists(last) else a.init
    if src:
        ck = torch.load(src, map_location="cpu", weights_only=False)
        net.load_state_dict(ck["model"])
        if a.resume and "opt" in ck:
            opt.load_state_dict(ck["opt"])
            step, seconds, losses = ck["step"], ck.get("train_seconds", 0.0), ck.get("losses", [])
        print(f"resumed {src} at step {step}", flush=True)
    for g in opt.param_groups:
        g["lr"] = a.lr
    print(f"colorize: {sum(p.numel() for p in net.parameters())} params, cfg {cfg}", flush=True)
    bank = SyntheticColourBank() if a.synthetic else ColourBank(a.max_clipart)
    rng = np.random.default_rng(a.seed + step)
    torch.manual_seed(a.seed + step)
    t0, deadline = time.time(), time.time() + a.minutes * 60
    net.train()
    run_loss = []
    while time.time() < deadline and step < a.steps:
        ts = time.time()
        x, t = batch(bank, rng, a.batch, a.size)
        pred = net(x)
        loss, huber = loss_fn(pred, t, cfg)
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        seconds += time.time() - ts
        run_loss.append(float(huber))
        if step % a.log_every == 0:
            losses.append((step, float(np.mean(run_loss))))
            print(f"step {step} huber {np.mean(run_loss):.5f} {time.time() - ts:.2f}s/step", flush=True)
            run_loss = []
        if step % a.save_every == 0:
            save(last, net, opt, step, cfg, seconds, losses)
        if a.keep_every and step % a.keep_every == 0:  # snapshots to pick from by a validation run
            save(os.path.join(run, f"step{step}.pt"), net, opt, step, cfg, seconds, losses)
    save(last, net, opt, step, cfg, seconds, losses)
    print(f"saved {last} at step {step}", flush=True)


# ---------------------------------------------------------------- export
class Wrap(nn.Module):
    """The shipped model follows the fill models' ONNX contract (src/inference/types.ts):
    "image" [1, 3, H, W] = (Y, 0.5 + Cb/2, 0.5 + Cr/2) with the hint chroma (0.5 where none),
    "mask" [1, 1, H, W] = 1 where a hint is given; "output" [1, 3, H, W] = (Y, 0.5 + Cb/2, 0.5 + Cr/2)."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, image, mask):
        y = image[:, 0:1]
        c = (image[:, 1:3] - 0.5) * 2 * mask
        out = self.net(torch.cat([y - 0.5, c, mask], 1))
        return torch.cat([y, 0.5 + 0.5 * torch.clamp(out, -1.0, 1.0)], 1)


def load(path):
    ck = torch.load(path, map_location="cpu", weights_only=False)
    net = build(ck["cfg"])
    net.load_state_dict(ck["model"])
    net.eval()
    return net, ck


def export(a):
    from export import write_vectors  # training/export.py: parity vectors read by training/parity.js
    if a.random:  # a tiny random-weight model for the tests (tests/fixtures)
        torch.manual_seed(0)
        net = build({"width": a.width})
        with torch.no_grad():
            for mod in net.modules():
                if isinstance(mod, nn.BatchNorm2d):
                    mod.running_mean.uniform_(-0.1, 0.1)
                    mod.running_var.uniform_(0.5, 1.5)
        net.eval()
        ck = {"size": 32, "summary": "random weights (test fixture)"}
    elif a.ckpt:
        net, ck = load(a.ckpt)
    else:
        sys.exit("give --ckpt PATH or --random")
    wrap = Wrap(net).eval()
    image, mask = torch.rand(1, 3, 64, 64), torch.ones(1, 1, 64, 64)
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with torch.no_grad():
        torch.onnx.export(wrap, (image, mask), a.out, opset_version=13, input_names=["image", "mask"], output_names=["output"],
                          dynamic_axes={"image": {2: "h", 3: "w"}, "mask": {2: "h", 3: "w"}, "output": {2: "h", 3: "w"}})
    import onnx
    onnx.checker.check_model(onnx.load(a.out))
    sha = hashlib.sha256(open(a.out, "rb").read()).hexdigest()
    params = sum(p.numel() for p in net.parameters())
    manifest = a.manifest or os.path.join(os.path.dirname(os.path.abspath(a.out)), "models.json")
    entry = {"name": a.name, "file": os.path.relpath(os.path.abspath(a.out), os.path.dirname(os.path.abspath(manifest))),
             "kind": "colorize",
             "input": {"layout": "NCHW", "channels": 3, "range": [0, 1], "size": ck["size"], "maxSide": a.max_side,
                       "multiple": ColorNet.multiple},
             "sha256": sha, "licence": a.licence,
             "training": ck.get("summary", ""), "params": params}
    data = json.load(open(manifest)) if os.path.exists(manifest) else {"models": []}
    data["models"] = sorted([m for m in data["models"] if m["name"] != a.name] + [entry], key=lambda m: m["name"])
    with open(manifest, "w") as f:
        json.dump(data, f, indent=2)
        f.write("\n")
    print(f"wrote {a.out} ({os.path.getsize(a.out)} bytes, {params} params); manifest {manifest}")
    if a.vectors:
        m = ColorNet.multiple
        cases = write_vectors(wrap, False, a.vectors, [(m * 4, m * 3), (m * 2, m * 6)])
        json.dump({"model": os.path.abspath(a.out), "tolerance": 1e-3, "cases": cases},
                  open(os.path.join(a.vectors, "meta.json"), "w"), indent=1)
        print(f"parity vectors in {a.vectors}")


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("train")
    t.add_argument("--run", default="colorize")
    t.add_argument("--resume", action="store_true")
    t.add_argument("--runs-root", default=os.path.join(HERE, "runs"))
    t.add_argument("--synthetic", action="store_true", help="generated pictures (CI smoke test)")
    t.add_argument("--init")
    t.add_argument("--width", type=int, default=24)
    t.add_argument("--size", type=int, default=192)
    t.add_argument("--batch", type=int, default=8)
    t.add_argument("--steps", type=int, default=10 ** 7)
    t.add_argument("--minutes", type=float, default=60)
    t.add_argument("--lr", type=float, default=5e-4)
    t.add_argument("--beta", type=float, default=0.02)
    t.add_argument("--w-grad", type=float, default=0.5)
    t.add_argument("--threads", type=int, default=1)
    t.add_argument("--max-clipart", type=int, default=500)
    t.add_argument("--save-every", type=int, default=100)
    t.add_argument("--keep-every", type=int, default=0, help="also keep a copy every N steps (stepN.pt)")
    t.add_argument("--log-every", type=int, default=25)
    t.add_argument("--seed", type=int, default=0)
    e = sub.add_parser("export")
    e.add_argument("--ckpt")
    e.add_argument("--random", action="store_true", help="random weights (test fixture)")
    e.add_argument("--width", type=int, default=4, help="with --random")
    e.add_argument("--licence", default="MIT (weights); training data credits in models/README.md")
    e.add_argument("--out", required=True)
    e.add_argument("--name", default="colorize")
    e.add_argument("--manifest")
    e.add_argument("--max-side", type=int, default=1024)
    e.add_argument("--vectors")
    a = ap.parse_args()
    {"train": train, "export": export}[a.cmd](a)


if __name__ == "__main__":
    main()
