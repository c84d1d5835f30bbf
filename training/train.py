#!/usr/bin/python3
"""Train the partial-conv U-Net ('bar' = holes, 'mosaic' = pixelated holes as hints).

  nice -n 10 /usr/bin/python3 training/train.py --kind bar --run bar-w20 --width 20 --steps 20000
  nice -n 10 /usr/bin/python3 training/train.py --kind bar --run bar-w20 --resume        # continue
  nice -n 10 /usr/bin/python3 training/train.py --kind mosaic --run mosaic-w20 \
        --init training/checkpoints/pconv-bar.pt --steps 6000                             # fine-tune

Runs on CUDA when available (PyTorch 2.x), else CPU (Debian PyTorch 1.13 works).
Checkpoints: training/runs/<run>/last.pt (resumable: fp32 weights, Adam moments in bf16,
step, RNG-free; data is re-sampled on resume). `--compact OUT` also writes the same compact
checkpoint elsewhere (what gets committed beside the ONNX model).

Losses (weights are flags): L1 on hole pixels x6 and on known pixels x1 (Liu et al.),
gradient L1 (finite differences) on the hole, local high-frequency energy matching in the
hole (`--w-hf`: mean |Laplacian| over 8x8 windows must match the original's, the quantity the
evaluation's texture ratio measures; a blur pays for it, a phase-shifted screentone does not),
total variation (`--w-tv`, off by default: it penalises exactly the screentones we want to
keep) and an optional spectrally-normalised PatchGAN hinge loss (`--w-adv`).
"""
from __future__ import annotations

import argparse, json, math, os, sys, time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from model import build, count_params  # noqa: E402
from masks import mosaic as pixelate, mosaic_prior, random_mask, simulate_guide  # noqa: E402


# ---------------------------------------------------------------- batches
def make_batch(bank, rng, n, size, kind, max_ratio=0.6, prior=False, guides=0.0):
    imgs, masks, inputs, lmasks = [], [], [], []
    for _ in range(n):
        ink = None
        img = bank.sample(rng, size)
        if kind == "mosaic":
            kind_m = rng.choice(["blobs", "bars", "strokes", "mixed"], p=[0.5, 0.2, 0.15, 0.15])
            m = random_mask(size, size, rng, kind=kind_m, max_ratio=0.3)
            block = int(rng.choice([4, 5, 6, 8, 10, 12, 14, 16, 20, 24]))
            oy, ox = int(rng.integers(0, block)), int(rng.integers(0, block))
            inp = pixelate(img, m, block, oy, ox)
            if prior:  # what the pipeline feeds the mosaic model (src/core/mosaic.ts)
                inp = mosaic_prior(inp, m, block, oy, ox)
        else:
            m = random_mask(size, size, rng, max_ratio=max_ratio)
            inp = img * m[None]  # hole pixels carry nothing (the pipeline paints them anyway)
            if guides and rng.random() < guides:
                # guide strokes become known pixels: ink black, dots their colour (src/core/guide.ts)
                ink, dots, colours = simulate_guide(img, m, rng)
                inp = np.where(dots[None], colours, inp)
                inp[:, ink] = 0
                m = np.where(ink | dots, 1.0, m).astype(np.float32)
        imgs.append(img); masks.append(m[None]); inputs.append(inp)
        # the loss counts ink pixels as hole: shown black, the model learns the page's line there
        # (its darkness and width), which the pipeline keeps (src/pipeline/modes.ts inkFill)
        lmasks.append((m if ink is None else np.where(ink, 0.0, m).astype(np.float32))[None])
    f = lambda xs: torch.from_numpy(np.stack(xs).astype(np.float32))
    return f(inputs), f(masks), f(imgs), f(lmasks)


class PriorBank:
    """Samples with their classical fill (training/prior_data.py + prior_fsr.js), memory-mapped;
    shards whose prior is written later are picked up by load()."""

    def __init__(self, root):
        self.root, self.shards = root, []
        self.load()

    def load(self):
        import glob
        self.shards = []
        for pf in sorted(glob.glob(os.path.join(self.root, "shard_*.prior"))):
            base = pf[:-len(".prior")]
            meta = json.load(open(base + ".json"))
            n, s = meta["n"], meta["size"]
            ink = np.memmap(base + ".ink", np.uint8, "r", shape=(n, s, s)) if os.path.exists(base + ".ink") else None
            self.shards.append((np.memmap(base + ".img", np.uint8, "r", shape=(n, s, s, 3)),
                                np.memmap(base + ".mask", np.uint8, "r", shape=(n, s, s)),
                                np.memmap(pf, np.uint8, "r", shape=(n, s, s, 3)), ink))
        if not self.shards:
            sys.exit(f"--fsr-prior: no shard with a prior under {self.root} (training/prior_fsr.js)")

    def guide_share(self):
        """The share of samples with guide ink (shard_k.ink), 0 without such shards."""
        n = sum(len(sh[0]) for sh in self.shards)
        return sum(int(sh[3].reshape(len(sh[3]), -1).any(axis=1).sum()) for sh in self.shards if sh[3] is not None) / max(1, n)

    def count(self):
        return sum(len(sh[0]) for sh in self.shards)

    def batch(self, rng, n):
        """(input: known pixels, the classical fill in the hole; mask 1 = known; truth; the loss's
        mask), float32 NCHW. A guide's ink (shard_k.ink) is shown black and known to the model, and
        is hole to the loss, as make_batch does (the pipeline: src/pipeline/modes.ts showGuideInk)."""
        xs, ms, gs, ls = [], [], [], []
        for _ in range(n):
            img, mask, prior, inks = self.shards[int(rng.integers(len(self.shards)))]
            i = int(rng.integers(len(img)))
            g = img[i].astype(np.float32).transpose(2, 0, 1) / 255
            m = mask[i].astype(np.float32)
            x = np.where(m[None] > 0, g, prior[i].astype(np.float32).transpose(2, 0, 1) / 255)
            lm = m
            if inks is not None and inks[i].any():
                ink = inks[i] > 0
                x[:, ink] = 0
                m = np.where(ink, 1.0, m).astype(np.float32)
            xs.append(x); ms.append(m[None]); gs.append(g); ls.append(lm[None])
        f = lambda v: torch.from_numpy(np.stack(v).astype(np.float32))
        return f(xs), f(ms), f(gs), f(ls)


# ---------------------------------------------------------------- losses
LAP = torch.tensor([[0, 1, 0], [1, -4, 1], [0, 1, 0]], dtype=torch.float32).view(1, 1, 3, 3)


def luma(x):
    return (0.299 * x[:, 0:1] + 0.587 * x[:, 1:2] + 0.114 * x[:, 2:3])


def grad_l1(out, gt, w):
    dxo, dxg = out[..., :, 1:] - out[..., :, :-1], gt[..., :, 1:] - gt[..., :, :-1]
    dyo, dyg = out[..., 1:, :] - out[..., :-1, :], gt[..., 1:, :] - gt[..., :-1, :]
    wx, wy = torch.maximum(w[..., :, 1:], w[..., :, :-1]), torch.maximum(w[..., 1:, :], w[..., :-1, :])
    return ((dxo - dxg).abs() * wx).mean() + ((dyo - dyg).abs() * wy).mean()


def edge_band(gt, r, thr=0.02):
    """1 within r px of the truth's tone borders and lines: luma after two 9 px box blurs (a dot
    screen averages out, a border between two tones does not), gradient above thr per px."""
    with torch.no_grad():
        b = luma(gt)
        for _ in range(2):  # two 9 px box passes: a triangle 17 px wide, no sidelobes for coarse dots
            b = F.avg_pool2d(b, 9, 1, 4, count_include_pad=False)
        gx = F.pad((b[..., :, 1:] - b[..., :, :-1]).abs(), (0, 1, 0, 0))
        gy = F.pad((b[..., 1:, :] - b[..., :-1, :]).abs(), (0, 0, 0, 1))
        e = (torch.maximum(gx, gy) > thr).float()
        return F.max_pool2d(e, 2 * r + 1, 1, r)


def gauss_kernel(sigma):
    r = int(3 * sigma + 0.5)
    t = torch.arange(-r, r + 1, dtype=torch.float32)
    k = torch.exp(-t * t / (2 * sigma * sigma))
    return k / k.sum()


def soft_edge_l1(out, gt, hole, sigma=2.0, band=2):
    """The structure F1's view of a page (eval_cases.py: Canny after a Gaussian of sigma 2): the
    gradient of the blurred luma, output against truth, over the hole and a band around it,
    normalised by the band's area and the truth's mean gradient there (a loss on the lines and tone
    borders themselves, which a per-pixel loss near them does not reach)."""
    k = gauss_kernel(sigma).to(out.device)
    n = k.numel()

    def blur(x):
        x = F.conv2d(F.pad(x, (n // 2, n // 2, 0, 0), mode="replicate"), k.view(1, 1, 1, n))
        return F.conv2d(F.pad(x, (0, 0, n // 2, n // 2), mode="replicate"), k.view(1, 1, n, 1))

    bo, bg = blur(luma(out)), blur(luma(gt))
    w = F.max_pool2d(hole, 2 * band + 1, 1, band)
    gxo, gxg = bo[..., :, 2:] - bo[..., :, :-2], bg[..., :, 2:] - bg[..., :, :-2]
    gyo, gyg = bo[..., 2:, :] - bo[..., :-2, :], bg[..., 2:, :] - bg[..., :-2, :]
    wx, wy = w[..., :, 1:-1], w[..., 1:-1, :]
    err = ((gxo - gxg).abs() * wx).sum() + ((gyo - gyg).abs() * wy).sum()
    scale = (gxg.abs() * wx).sum() + (gyg.abs() * wy).sum()
    return err / (scale + w.sum() * 1e-3 + 1e-6)


def hf_energy(out, gt, hole, win=8):
    lap = LAP.to(out.device)
    eo = F.avg_pool2d(F.conv2d(luma(out), lap, padding=1).abs(), win)
    eg = F.avg_pool2d(F.conv2d(luma(gt), lap, padding=1).abs(), win)
    w = F.avg_pool2d(hole, win)
    return ((eo - eg).abs() * w).sum() / (w.sum() + 1e-6)


def tv(x, w):
    return ((x[..., :, 1:] - x[..., :, :-1]).abs() * w[..., :, 1:]).mean() + ((x[..., 1:, :] - x[..., :-1, :]).abs() * w[..., 1:, :]).mean()


class PatchD(nn.Module):
    """Spectrally-normalised PatchGAN on (image, mask)."""

    def __init__(self, ch=32):
        super().__init__()
        sn = nn.utils.spectral_norm
        layers, prev = [], 4
        for i, c in enumerate([ch, ch * 2, ch * 4, ch * 4]):
            layers += [sn(nn.Conv2d(prev, c, 4, 2 if i < 3 else 1, 1)), nn.LeakyReLU(0.2)]
            prev = c
        layers += [sn(nn.Conv2d(prev, 1, 3, 1, 1))]
        self.net = nn.Sequential(*layers)

    def forward(self, x, mask):
        return self.net(torch.cat([x * 2 - 1, mask], 1))


# ---------------------------------------------------------------- checkpoints
def save_ckpt(path, net, opt, step, cfg, extra, disc=None, opt_d=None):
    """Compact: fp32 weights, Adam moments as bf16 (exponent range of fp32, half the bytes)."""
    def comp(o):
        if o is None:
            return None
        sd = o.state_dict()
        st = {k: {kk: (vv.to(torch.bfloat16) if torch.is_tensor(vv) and vv.dim() > 0 else vv) for kk, vv in v.items()}
              for k, v in sd["state"].items()}
        return {"state": st, "param_groups": sd["param_groups"]}
    ck = {"cfg": cfg, "model": {k: v.detach().cpu() for k, v in net.state_dict().items()},
          "opt": comp(opt), "step": step, **extra}
    if disc is not None:
        ck["disc"] = disc.state_dict()
        ck["opt_d"] = comp(opt_d)
    tmp = path + ".tmp"
    torch.save(ck, tmp)
    os.replace(tmp, path)


def load_opt(opt, comp, device):
    if not comp:
        return
    st = {int(k): {kk: (vv.float().to(device) if torch.is_tensor(vv) and vv.dim() > 0 else vv) for kk, vv in v.items()}
          for k, v in comp["state"].items()}
    opt.load_state_dict({"state": st, "param_groups": comp["param_groups"]})


# ---------------------------------------------------------------- main
def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kind", choices=["bar", "mosaic"], default="bar")
    ap.add_argument("--run", required=True, help="training/runs/<run>/")
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--init", help="start from these weights (e.g. bar checkpoint for mosaic)")
    ap.add_argument("--width", type=int, default=20)
    ap.add_argument("--depth", type=int, default=7)
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--batch", type=int, default=6)
    ap.add_argument("--steps", type=int, default=100000)
    ap.add_argument("--minutes", type=float, default=0, help="stop after this wall time (0 = no limit)")
    ap.add_argument("--lr", type=float, default=2e-4)
    ap.add_argument("--lr-final", type=float, default=None,
                    help="cosine-decay the learning rate from --lr to this over the run (--minutes if set, else --steps)")
    ap.add_argument("--w-hole", type=float, default=6.0)
    ap.add_argument("--w-hole2", type=float, default=0.0, help="MSE on the hole (PSNR is MSE; L1 alone predicts the median, i.e. white, on binary screentone)")
    ap.add_argument("--w-valid", type=float, default=1.0)
    ap.add_argument("--w-grad", type=float, default=1.0)
    ap.add_argument("--w-hf", type=float, default=1.0)
    ap.add_argument("--w-tv", type=float, default=0.0)
    ap.add_argument("--w-edge", type=float, default=0.0,
                    help="L1 on the gradient of the sigma-2 blurred luma over the hole and a 2 px band (soft_edge_l1: "
                         "the structure F1's view), relative to the truth's own gradient there")
    ap.add_argument("--w-adv", type=float, default=0.0)
    ap.add_argument("--w-near-ink", type=float, default=0.0,
                    help="extra hole L1 within --near-ink px of a guide's ink (the tones and lines around the strokes)")
    ap.add_argument("--near-ink", type=int, default=6)
    ap.add_argument("--w-near-edge", type=float, default=0.0,
                    help="extra hole L1 within --near-edge px of the truth's tone borders and lines "
                         "(luma gradient after two 9 px box blurs, so screentone dots do not count)")
    ap.add_argument("--near-edge", type=int, default=3)
    ap.add_argument("--max-ratio", type=float, default=0.6)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--save-every", type=int, default=200)
    ap.add_argument("--log-every", type=int, default=25)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--compact", help="also copy the checkpoint here at every save")
    ap.add_argument("--max-clipart", type=int, default=None)
    ap.add_argument("--residual", action="store_true", help="with --init: output = input + correction, correction zeroed at start (mosaic)")
    ap.add_argument("--prior", action="store_true",
                    help="mosaic: feed the block-mean prior (bilinear + projection) instead of the raw mosaic; "
                         "recorded in the checkpoint config as input 'mosaic-prior'")
    ap.add_argument("--guides", type=float, default=0.0,
                    help="bar: this share of samples gets a simulated guide (ink lines and colour dots from the truth, "
                         "as known pixels: masks.py simulate_guide)")
    ap.add_argument("--fsr-prior", help="holes: train on these shards (training/prior_data.py + prior_fsr.js): the input "
                    "holds the classical fill in the hole, every pixel known to the convolutions, the mask as a channel; "
                    "recorded in the checkpoint config as input 'fsr-prior'")
    ap.add_argument("--zero-last", action="store_true", help="with --init: zero the output layer (a residual model starts as the identity)")
    ap.add_argument("--synthetic", action="store_true", help="generated shapes instead of the data (smoke test)")
    ap.add_argument("--runs-root", default=os.path.join(HERE, "runs"))
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    run_dir = os.path.join(a.runs_root, a.run)
    os.makedirs(run_dir, exist_ok=True)
    last = os.path.join(run_dir, "last.pt")

    cfg = {"width": a.width, "depth": a.depth, "cap_mult": 8, "in_ch": 4}
    ck = None
    if a.resume:
        if not os.path.exists(last):
            sys.exit(f"--resume: no checkpoint at {last}")
        ck = torch.load(last, map_location="cpu")
        cfg = ck["cfg"]
    elif a.init:
        ck0 = torch.load(a.init, map_location="cpu")
        cfg = dict(ck0["cfg"])
        if a.residual:
            cfg["residual"] = True
    if a.prior:
        cfg["input"] = "mosaic-prior"
    if a.fsr_prior:
        cfg["input"] = "fsr-prior"
    prior = cfg.get("input") == "mosaic-prior"
    net = build(cfg).to(device)
    opt = torch.optim.Adam(net.parameters(), lr=a.lr, betas=(0.9, 0.999))
    disc = opt_d = None
    if a.w_adv > 0:
        disc = PatchD().to(device)
        opt_d = torch.optim.Adam(disc.parameters(), lr=a.lr * 2, betas=(0.5, 0.999))
    step, elapsed = 0, 0.0
    if ck is not None:
        net.load_state_dict({k: v.float() if v.is_floating_point() else v for k, v in ck["model"].items()})
        load_opt(opt, ck.get("opt"), device)
        for g in opt.param_groups:
            g["lr"] = a.lr
        step, elapsed = ck["step"], ck.get("train_seconds", 0.0)
        if disc is not None and ck.get("disc"):
            disc.load_state_dict(ck["disc"])
            load_opt(opt_d, ck.get("opt_d"), device)
        print(f"resumed {last} at step {step}", flush=True)
    elif a.init:
        net.load_state_dict({k: v.float() if v.is_floating_point() else v for k, v in ck0["model"].items()})
        if (a.residual and not ck0["cfg"].get("residual")) or a.zero_last:
            net.zero_last()
        print(f"initialised from {a.init} (step {ck0['step']})", flush=True)

    from data import Bank, SyntheticBank
    # a model that corrects the classical fill trains on its own shards (PriorBank, below)
    bank = None if cfg.get("input") == "fsr-prior" else SyntheticBank() if a.synthetic else Bank(max_clipart=a.max_clipart)
    n_cached = bank.cache_count() if bank else 0
    rng = np.random.default_rng(a.seed + step)
    print(f"{a.kind}: {count_params(net)} params, cfg {cfg}, device {device}, batch {a.batch}x{a.size}^2", flush=True)
    with open(os.path.join(run_dir, "args.json"), "w") as f:
        json.dump(vars(a), f, indent=1)

    def extra():
        return {"kind": a.kind, "size": a.size, "train_seconds": elapsed, "losses": vars(a),
                "summary": f"{a.kind} model, {step} steps of batch {a.batch} at {a.size}px, "
                           f"{elapsed / 3600:.2f} h on {'CUDA' if device.type == 'cuda' else 'CPU'}"}

    net.train()
    t_start = time.time()
    t0, acc = time.time(), {}
    mosaic = a.kind == "mosaic"
    # a model that corrects the classical fill reads every pixel, as the mosaic model does
    all_known = mosaic or cfg.get("input") == "fsr-prior"
    if cfg.get("input") == "fsr-prior" and not a.fsr_prior:
        sys.exit("this checkpoint corrects the classical fill: give --fsr-prior DIR")
    pbank = PriorBank(a.fsr_prior) if cfg.get("input") == "fsr-prior" else None
    if pbank:
        print(f"fsr-prior: {pbank.count()} samples", flush=True)
        share = pbank.guide_share()
        if share and not a.guides:
            # recorded in the checkpoint (export.py: input.guides known-pixels)
            a.guides = round(share, 3)
            print(f"fsr-prior: {share:.0%} of the samples carry a guide (shard_k.ink): --guides {a.guides}", flush=True)
    step0 = step
    while step < a.steps:
        if a.lr_final is not None:
            frac = (time.time() - t_start) / (a.minutes * 60) if a.minutes else (step - step0) / max(1, a.steps - step0)
            lr = a.lr_final + (a.lr - a.lr_final) * 0.5 * (1 + math.cos(math.pi * min(1.0, frac)))
            for g in opt.param_groups:
                g["lr"] = lr
        if pbank:
            x, m, gt, lm = pbank.batch(rng, a.batch)
        else:
            x, m, gt, lm = make_batch(bank, rng, a.batch, a.size, a.kind, a.max_ratio, prior, a.guides)
        x, m, gt, lm = x.to(device), m.to(device), gt.to(device), lm.to(device)
        out = net(x, m, all_known)
        # the loss's hole: the model's input hole plus the guide's ink pixels (lm; = m without a guide)
        hole = 1 - lm
        comp = x * lm + out * hole if not mosaic else gt * lm + out * hole
        losses = {
            "hole": (hole * (out - gt).abs()).mean() * a.w_hole,
            "valid": (lm * (out - gt).abs()).mean() * a.w_valid,
        }
        if a.w_near_ink:
            ink = (m - lm).clamp(min=0)  # the guide's ink pixels: known to the model, hole to the loss
            k = 2 * a.near_ink + 1
            near = F.max_pool2d(ink, k, 1, a.near_ink) * hole
            losses["near_ink"] = (near * (out - gt).abs()).mean() * a.w_near_ink
        if a.w_near_edge:
            near = edge_band(gt, a.near_edge) * hole
            losses["near_edge"] = (near * (out - gt).abs()).mean() * a.w_near_edge
        if a.w_hole2:
            losses["hole2"] = (hole * (out - gt) ** 2).mean() * a.w_hole2
        if a.w_grad:
            losses["grad"] = grad_l1(comp, gt, hole) * a.w_grad
        if a.w_hf:
            losses["hf"] = hf_energy(comp, gt, hole) * a.w_hf
        if a.w_edge:
            losses["edge"] = soft_edge_l1(comp, gt, hole) * a.w_edge
        if a.w_tv:
            dil = F.max_pool2d(hole, 3, 1, 1)
            losses["tv"] = tv(comp, dil) * a.w_tv
        if disc is not None:
            # discriminator step (hinge), on the composited image
            d_real = disc(gt, m)
            d_fake = disc(comp.detach(), m)
            ld = F.relu(1 - d_real).mean() + F.relu(1 + d_fake).mean()
            opt_d.zero_grad(set_to_none=True)
            ld.backward()
            opt_d.step()
            losses["adv"] = -disc(comp, m).mean() * a.w_adv
            acc["d"] = acc.get("d", 0) + ld.item()
        loss = sum(losses.values())
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        step += 1
        for k, v in losses.items():
            acc[k] = acc.get(k, 0) + v.item()
        acc["total"] = acc.get("total", 0) + loss.item()
        if step % a.log_every == 0:
            dt = time.time() - t0
            elapsed += dt
            t0 = time.time()
            print(f"step {step} " + " ".join(f"{k} {v / a.log_every:.4f}" for k, v in acc.items())
                  + f" | {dt / a.log_every:.2f} s/step, {elapsed / 3600:.2f} h", flush=True)
            acc = {}
        if step % a.save_every == 0 or step == a.steps:
            save_ckpt(last, net, opt, step, cfg, extra(), disc, opt_d)
            if a.compact:
                save_ckpt(a.compact, net, opt, step, cfg, extra())
        if pbank and step % 200 == 0:
            pbank.load()
        if bank and step % 500 == 0 and bank.cache_count() != n_cached:  # cache still being built
            bank.load()
            n_cached = bank.cache_count()
        if a.minutes and time.time() - t_start > a.minutes * 60:
            break
    elapsed += time.time() - t0
    save_ckpt(last, net, opt, step, cfg, extra(), disc, opt_d)
    if a.compact:
        save_ckpt(a.compact, net, opt, step, cfg, extra())
    print(f"done at step {step}", flush=True)


if __name__ == "__main__":
    main()
