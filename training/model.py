"""Partial-convolution U-Net (Liu et al., "Image Inpainting for Irregular Holes Using
Partial Convolutions", ECCV 2018), sized for CPU inference.

A partial convolution reads only known pixels: out = W.(X*M) * (window / sum(M)) + b where
sum(M) > 0, else 0; the mask is then updated to 1 wherever the window saw any known pixel.
The decoder upsamples (nearest) and concatenates encoder skips, features and masks alike;
masks are tracked one channel per concatenated part (every channel of a part shares it), so
the renormalisation counts known inputs exactly as a per-channel mask would, at the cost of
one 1-channel convolution per part.

Two modes share one set of weights:
  * 'bar'    : hole pixels are unknown to the partial convolutions (the paper's setting);
  * 'mosaic' : the censored (pixelated) pixels are hints: every pixel is marked known to the
               convolutions and the hole mask travels as a 4th input channel, so the network
               sees both the mosaic and where it is.
The 4th input channel (the mask) is present in both modes so a bar model can be fine-tuned
into a mosaic model without changing any weight shape.
"""
from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F


class PartialConv(nn.Module):
    """Partial convolution over a list of (features, mask) parts concatenated on channels.

    Each part's mask has one channel shared by all its feature channels."""

    def __init__(self, in_ch: int, out_ch: int, k: int, stride: int = 1, bias: bool = True):
        super().__init__()
        self.k, self.stride, self.pad = k, stride, k // 2
        self.conv = nn.Conv2d(in_ch, out_ch, k, stride, self.pad, bias=bias)
        self.register_buffer("ones", torch.ones(1, 1, k, k), persistent=False)
        self.in_ch = in_ch

    def forward(self, parts):
        xs, msum = [], None
        for x, m in parts:
            xs.append(x * m)
            s = F.conv2d(m, self.ones, stride=self.stride, padding=self.pad) * float(x.shape[1])
            msum = s if msum is None else msum + s
        x = torch.cat(xs, 1) if len(xs) > 1 else xs[0]
        raw = F.conv2d(x, self.conv.weight, None, self.stride, self.pad)
        window = float(self.in_ch * self.k * self.k)
        new_mask = torch.clamp(msum, 0.0, 1.0)
        ratio = window / (msum + 1e-8) * new_mask
        out = raw * ratio
        if self.conv.bias is not None:
            out = out + self.conv.bias.view(1, -1, 1, 1) * new_mask
        return out, new_mask


class Block(nn.Module):
    def __init__(self, in_ch, out_ch, k, stride, norm=True, act="relu"):
        super().__init__()
        self.pconv = PartialConv(in_ch, out_ch, k, stride, bias=not norm)
        self.norm = nn.BatchNorm2d(out_ch) if norm else None
        self.act = {"relu": nn.ReLU(), "lrelu": nn.LeakyReLU(0.2), "none": nn.Identity()}[act]

    def forward(self, parts):
        x, m = self.pconv(parts)
        if self.norm is not None:
            x = self.norm(x)
        return self.act(x), m


def default_channels(width: int, depth: int, cap_mult: int = 8):
    return [width * min(2 ** i, cap_mult) for i in range(depth)]


class PConvUNet(nn.Module):
    """depth encoder layers (kernels 7, 5, 5, 3, 3, ...; stride 2), depth decoder layers
    (nearest x2 upsampling, skip concat, 3x3 partial conv). Input H, W must be multiples of
    2**depth. Output is unclamped in training; `InferenceWrapper` clamps and composites."""

    def __init__(self, width: int = 32, depth: int = 7, cap_mult: int = 8, in_ch: int = 4, residual: bool = False):
        super().__init__()
        self.width, self.depth, self.cap_mult, self.in_ch = width, depth, cap_mult, in_ch
        # residual (mosaic models): output = input image + correction, so an untrained
        # correction (zeroed last layer) leaves the mosaic as it is
        self.residual = residual
        ch = default_channels(width, depth, cap_mult)
        kernels = [7, 5, 5] + [3] * max(0, depth - 3)
        self.enc = nn.ModuleList()
        prev = in_ch
        for i in range(depth):
            self.enc.append(Block(prev, ch[i], kernels[i], 2, norm=(i != 0), act="relu"))
            prev = ch[i]
        self.dec = nn.ModuleList()
        for i in reversed(range(depth)):
            skip = ch[i - 1] if i > 0 else in_ch
            out = ch[i - 1] if i > 0 else 3
            last = i == 0
            self.dec.append(Block(prev + skip, out, 3, 1, norm=not last, act="none" if last else "lrelu"))
            prev = out

    @property
    def multiple(self) -> int:
        return 2 ** self.depth

    def forward(self, image, mask, mosaic: bool = False):
        """image [N,3,H,W] in [0,1]; mask [N,1,H,W], 1 = known. Returns [N,3,H,W] (unclamped).
        The network works on [-1, 1] internally."""
        x = torch.cat([image * 2.0 - 1.0, mask], 1)
        m = torch.ones_like(mask) if mosaic else mask
        feats = [(x, m)]
        h, hm = x, m
        for blk in self.enc:
            h, hm = blk([(h, hm)])
            feats.append((h, hm))
        feats.pop()  # bottleneck is h itself
        for blk in self.dec:
            sx, sm = feats.pop()
            h = F.interpolate(h, scale_factor=2.0, mode="nearest")
            hm = F.interpolate(hm, scale_factor=2.0, mode="nearest")
            h, hm = blk([(h, hm), (sx, sm)])
        if self.residual:
            return image + h * 0.5
        return (h + 1.0) * 0.5

    def config(self):
        return {"width": self.width, "depth": self.depth, "cap_mult": self.cap_mult, "in_ch": self.in_ch,
                "residual": self.residual}

    def zero_last(self):
        """Zero the output layer (a residual model then starts as the identity)."""
        last = self.dec[-1].pconv.conv
        torch.nn.init.zeros_(last.weight)
        torch.nn.init.zeros_(last.bias)


class InferenceWrapper(nn.Module):
    """The ONNX contract: image [1,3,H,W] in [0,1], mask [1,1,H,W] (1 = known) -> output in
    [0,1], known pixels passed through unchanged. `composite=False` (models trained with guides):
    the model's own values everywhere, known pixels too — on the guide's ink pixels, shown as
    known black, it predicts the page's line, which the pipeline keeps (it keeps the other known
    pixels itself)."""

    def __init__(self, net: PConvUNet, mosaic: bool, composite: bool = True):
        super().__init__()
        self.net, self.mosaic, self.composite = net, mosaic, composite

    def forward(self, image, mask):
        y = torch.clamp(self.net(image, mask, self.mosaic), 0.0, 1.0)
        return image * mask + y * (1.0 - mask) if self.composite else y


def build(cfg: dict) -> PConvUNet:
    return PConvUNet(**{k: cfg[k] for k in ("width", "depth", "cap_mult", "in_ch", "residual") if k in cfg})


def count_params(net: nn.Module) -> int:
    return sum(p.numel() for p in net.parameters())
