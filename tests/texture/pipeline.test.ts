/**
 * The pipeline's `texture` option with a scripted runner that fills like an L1-trained network on
 * screentone: a flat grey (the tone's mean).
 */
import { inpaint } from '../../src/pipeline';
import { absLaplacian } from '../../src/core/texture';
import { InpaintError, type Mask, type Raster } from '../../src/core/types';
import type { ModelInfo, ModelRunner } from '../../src/inference/types';

const W = 160;
const H = 160;

function greyRunner(kind: 'bar' | 'mosaic' = 'bar'): ModelRunner {
  const info: ModelInfo = {
    name: 'grey-blur',
    file: 'x.onnx',
    kind,
    sha256: '0'.repeat(64),
    licence: 'test',
    input: { layout: 'NCHW', channels: 3, range: [0, 1], size: 32, maxSide: 128, multiple: 8 },
  };
  return {
    info,
    backend: 'test',
    async run(_image, _mask, width, height) {
      return new Float32Array(3 * width * height).fill(0.62);
    },
    async dispose() {},
  };
}

/** RGB 8-bit page of 45-degree dot screentone (period ~5.7 px). */
function tonePage(): Raster {
  const data = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const u = (x + y) / Math.SQRT2;
      const v = (x - y) / Math.SQRT2;
      const du = u - 4 * Math.round(u / 4);
      const dv = v - 4 * Math.round(v / 4);
      const g = du * du + dv * dv < 2.2 ? 30 : 235;
      data.fill(g, (y * W + x) * 3, (y * W + x) * 3 + 3);
    }
  }
  return { width: W, height: H, channels: 3, data, maxValue: 255 };
}

function holeMask(): Mask {
  const data = new Uint8Array(W * H);
  for (let y = 60; y < 105; y++) for (let x = 55; x < 100; x++) data[y * W + x] = 1;
  return { width: W, height: H, data };
}

function texRatio(out: Raster, truth: Raster, mask: Mask): number {
  const g = (r: Raster) => Float32Array.from({ length: W * H }, (_, i) => r.data[i * 3]! / 255);
  const a = absLaplacian(g(out), W, H);
  const b = absLaplacian(g(truth), W, H);
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < W * H; i++) if (mask.data[i]) (sa += a[i]!), (sb += b[i]!);
  return sa / sb;
}

/** Texture refinement over the network's fill alone (no classical mix, no line drawing). */
const NET = { fill: 'model', structure: 'off' } as const;

describe("inpaint({ texture })", () => {
  test("'auto' puts the page's screentone back into a grey model fill; 'off' keeps the model fill", async () => {
    const page = tonePage();
    const mask = holeMask();
    const off = await inpaint(page, mask, { ...NET, model: greyRunner(), texture: 'off' });
    const auto = await inpaint(page, mask, { ...NET, model: greyRunner(), texture: 'auto' });
    expect(texRatio(off.image, page, mask)).toBeLessThan(0.3);
    const t = texRatio(auto.image, page, mask);
    expect(t).toBeGreaterThanOrEqual(0.5);
    expect(t).toBeLessThanOrEqual(1.5);
    let changed = 0;
    for (let i = 0; i < W * H * 3; i++) if (!mask.data[Math.floor(i / 3)] && auto.image.data[i] !== page.data[i]) changed++;
    expect(changed).toBe(0);
    // deterministic per variation seed
    const again = await inpaint(page, mask, { ...NET, model: greyRunner(), texture: 'auto' });
    expect(Buffer.from(again.image.data.buffer).equals(Buffer.from(auto.image.data.buffer))).toBe(true);
  });

  test('texture is off by default and in mosaic mode; an unknown value is refused', async () => {
    const page = tonePage();
    const mask = holeMask();
    const def = await inpaint(page, mask, { ...NET, model: greyRunner() });
    expect(def.image.data[(80 * W + 80) * 3]).toBe(Math.round(0.62 * 255));
    const mos = await inpaint(page, mask, { model: greyRunner('mosaic'), mode: 'mosaic', texture: 'auto' });
    expect(mos.image.data[(80 * W + 80) * 3]).toBe(Math.round(0.62 * 255));
    await expect(inpaint(page, mask, { model: greyRunner(), texture: 'sharp' as 'auto' })).rejects.toMatchObject({
      code: 'bad-input',
      message: expect.stringMatching(/texture must be auto or off \(got "sharp"\)/),
    });
    await expect(inpaint(page, mask, { model: greyRunner(), texture: 'sharp' as 'auto' })).rejects.toBeInstanceOf(InpaintError);
  });
});
