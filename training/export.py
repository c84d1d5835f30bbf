#!/usr/bin/python3
"""Export a partial-conv U-Net to ONNX (opset 13, dynamic H/W), write its models.json entry
(sha256, input spec, licence) and save random test vectors for the onnxruntime parity check.

  # tiny random-weight fixture for the TypeScript tests
  python3 training/export.py --random --width 4 --depth 3 --size 32 --max-side 128 \
      --name tiny-pconv --kind bar --out tests/fixtures/tiny-pconv.onnx --licence MIT
  # a trained checkpoint
  python3 training/export.py --ckpt training/checkpoints/pconv-bar.pt --out models/pconv-bar.onnx

The parity check itself runs in Node (onnxruntime-node): `node training/parity.js DIR`;
pass --parity to run it from here.
"""
import argparse, hashlib, json, os, subprocess, sys, warnings

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import InferenceWrapper, build, count_params  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def load_checkpoint(path):
    ck = torch.load(path, map_location="cpu")
    net = build(ck["cfg"])
    state = {k: (v.float() if v.is_floating_point() else v) for k, v in ck["model"].items()}
    net.load_state_dict(state)
    return net, ck


def export_onnx(net, mosaic, out, opset=13, composite=True):
    wrap = InferenceWrapper(net, mosaic, composite).eval()
    m = net.multiple
    h, w = 2 * m, 3 * m
    image = torch.rand(1, 3, h, w)
    mask = torch.ones(1, 1, h, w)
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer notes on static channel counts / shape inference
        torch.onnx.export(
            wrap, (image, mask), out, opset_version=opset,
            input_names=["image", "mask"], output_names=["output"],
            dynamic_axes={"image": {2: "H", 3: "W"}, "mask": {2: "H", 3: "W"}, "output": {2: "H", 3: "W"}},
            do_constant_folding=True)
    import onnx
    model = onnx.load(out)
    onnx.checker.check_model(model)
    return wrap


def random_mask(h, w, rng, mosaic):
    mask = np.ones((h, w), np.float32)
    for _ in range(3):
        y0, x0 = rng.integers(0, h // 2), rng.integers(0, w // 2)
        mask[y0:y0 + rng.integers(h // 8, h // 2), x0:x0 + rng.integers(w // 8, w // 2)] = 0
    return mask


def write_vectors(wrap, mosaic, vec_dir, sizes, seed=0):
    """Raw little-endian float32 files + meta.json, read by training/parity.js."""
    os.makedirs(vec_dir, exist_ok=True)
    rng = np.random.default_rng(seed)
    cases = []
    for i, (h, w) in enumerate(sizes):
        image = rng.random((1, 3, h, w), dtype=np.float32)
        mask = random_mask(h, w, rng, mosaic)[None, None]
        with torch.no_grad():
            out = wrap(torch.from_numpy(image), torch.from_numpy(mask)).numpy()
        for name, arr in (("image", image), ("mask", mask), ("expected", out)):
            arr.astype("<f4").tofile(os.path.join(vec_dir, f"{i}_{name}.bin"))
        cases.append({"id": i, "h": h, "w": w})
    return cases


def update_manifest(manifest_path, entry):
    data = {"models": []}
    if os.path.exists(manifest_path):
        with open(manifest_path) as f:
            data = json.load(f)
    models = [m for m in data.get("models", []) if m.get("name") != entry["name"]]
    models.append(entry)
    models.sort(key=lambda m: m["name"])
    data["models"] = models
    with open(manifest_path, "w") as f:
        json.dump(data, f, indent=2)
        f.write("\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", help="checkpoint from train.py")
    ap.add_argument("--random", action="store_true", help="random weights (test fixture)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--width", type=int, default=32)
    ap.add_argument("--depth", type=int, default=7)
    ap.add_argument("--cap-mult", type=int, default=8)
    ap.add_argument("--kind", choices=["bar", "mosaic"])
    ap.add_argument("--name")
    ap.add_argument("--out", required=True)
    ap.add_argument("--manifest", help="default: models.json beside --out")
    ap.add_argument("--size", type=int, help="training side (default: from checkpoint, else 256)")
    ap.add_argument("--max-side", type=int, default=512)
    ap.add_argument("--licence", default="MIT (weights); training data credits in models/README.md")
    ap.add_argument("--training", help="one-line training summary for the manifest")
    ap.add_argument("--opset", type=int, default=13)
    ap.add_argument("--vectors", help="where to write parity vectors (default: training/runs/parity/<name>)")
    ap.add_argument("--parity", action="store_true", help="run node training/parity.js on the vectors")
    a = ap.parse_args()

    ck = {}
    if a.random:
        torch.manual_seed(a.seed)
        net = build({"width": a.width, "depth": a.depth, "cap_mult": a.cap_mult})
        # non-trivial BN statistics so the fixture exercises them
        with torch.no_grad():
            for mod in net.modules():
                if isinstance(mod, torch.nn.BatchNorm2d):
                    mod.running_mean.uniform_(-0.1, 0.1)
                    mod.running_var.uniform_(0.5, 1.5)
        kind = a.kind or "bar"
    elif a.ckpt:
        net, ck = load_checkpoint(a.ckpt)
        kind = a.kind or ck.get("kind", "bar")
    else:
        sys.exit("give --ckpt PATH or --random")
    net.eval()
    # a model that corrects the classical fill reads every pixel, as the mosaic model does
    fsr_prior = bool(a.ckpt) and ck.get("cfg", {}).get("input") == "fsr-prior"
    mosaic = kind == "mosaic" or fsr_prior
    name = a.name or os.path.splitext(os.path.basename(a.out))[0]
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    # a model trained with guides keeps its own values on known pixels (its line under the ink)
    guides = bool(a.ckpt) and kind == "bar" and (ck.get("losses") or {}).get("guides", 0) > 0
    wrap = export_onnx(net, mosaic, a.out, a.opset, composite=not guides)

    manifest = a.manifest or os.path.join(os.path.dirname(os.path.abspath(a.out)), "models.json")
    size = a.size or ck.get("size", 256)
    training = a.training or ck.get("summary") or ("random weights (test fixture)" if a.random else "")
    entry = {
        "name": name,
        "file": os.path.relpath(os.path.abspath(a.out), os.path.dirname(os.path.abspath(manifest))),
        "kind": kind,
        "input": {"layout": "NCHW", "channels": 3, "range": [0, 1], "size": size,
                  "maxSide": a.max_side, "multiple": net.multiple},
        "sha256": sha256(a.out),
        "licence": a.licence,
        "training": training,
        "params": count_params(net),
    }
    if guides:
        # trained with guide strokes as known pixels (train.py --guides): the pipeline shows the
        # model the guide's ink inside the hole (src/pipeline/modes.ts showGuideInk) and keeps the
        # model's values there (exported without compositing the known pixels)
        entry["input"]["guides"] = "known-pixels"
    if a.ckpt and ck.get("cfg", {}).get("input") == "mosaic-prior":
        # the pipeline must feed the block-mean prior, not the raw mosaic (src/core/mosaic.ts)
        entry["input"]["mosaic"] = "block-prior"
    if fsr_prior:
        # trained on the classical fill in the hole (train.py --fsr-prior): the pipeline writes
        # src/core/fsr.ts's fill there and the model corrects it (src/pipeline/modes.ts)
        entry["input"]["prior"] = "classical"
    update_manifest(manifest, entry)
    print(f"wrote {a.out} ({os.path.getsize(a.out)} bytes, {entry['params']} params, multiple {net.multiple}); manifest {manifest}")

    vec_dir = a.vectors or os.path.join(REPO, "training", "runs", "parity", name)
    m = net.multiple
    sizes = [(max(m, 2 * m), max(m, 2 * m)), (m * 3, m * 2)]
    if m <= 32:
        sizes.append((m * 8, m * 5))
    meta = {"model": os.path.abspath(a.out), "tolerance": 1e-3,
            "cases": write_vectors(wrap, mosaic, vec_dir, sizes, a.seed)}
    with open(os.path.join(vec_dir, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)
    print(f"parity vectors in {vec_dir}")
    if a.parity:
        r = subprocess.run(["node", os.path.join(REPO, "training", "parity.js"), vec_dir])
        sys.exit(r.returncode)


if __name__ == "__main__":
    main()
