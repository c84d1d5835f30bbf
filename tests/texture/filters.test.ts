import fc from 'fast-check';
import { absLaplacian, boxBlur, diffusionFill, downsampleMask2 } from '../../src/core/texture/filters';

describe('texture filters', () => {
  test('boxBlur equals the brute-force mean over the clamped window', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 24 }), fc.integer({ min: 1, max: 24 }), fc.integer({ min: 0, max: 30 }), fc.integer(), (w, h, r, seed) => {
        let s = seed >>> 0 || 1;
        const a = Float32Array.from({ length: w * h }, () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32));
        const b = boxBlur(a, w, h, r);
        for (let y = 0; y < h; y++) {
          for (let x = 0; x < w; x++) {
            let sum = 0;
            let c = 0;
            for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++)
              for (let xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) (sum += a[yy * w + xx]!), c++;
            if (Math.abs(sum / c - b[y * w + x]!) > 1e-5) return false;
          }
        }
        return true;
      }),
      { numRuns: 200, seed: 7 },
    );
  });

  test('absLaplacian is the 4-neighbour kernel with reflect-101 borders (cv2.Laplacian ksize=1)', () => {
    const w = 4;
    const a = Float32Array.from([0, 1, 0, 0, 2, 0, 0, 0, 0, 0, 3, 0]);
    const l = absLaplacian(a, w, 3);
    // centre (1,1): up 1 + down 0 + left 2 + right 0 - 4*0 = 3; corner (0,0): reflect-101 -> 2*a[1] + 2*a[4] - 0 = 6
    expect(l[1 * w + 1]).toBeCloseTo(3);
    expect(l[0]).toBeCloseTo(6);
  });

  test('downsampleMask2 marks a coarse pixel as hole when any of its 2x2 is; diffusionFill keeps known pixels', () => {
    const m = Uint8Array.from([0, 0, 0, 0, 1, 0, 0, 0, 0]);
    expect([...downsampleMask2(m, 3, 3)]).toEqual([1, 0, 0, 0]);
    const m2 = Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect([...downsampleMask2(m2, 3, 3)]).toEqual([0, 0, 0, 1]);
    const img = Float32Array.from([0, 0, 0, 0, 9, 1, 1, 1, 1]);
    const f = diffusionFill(img, m, 3, 3);
    for (let i = 0; i < 9; i++) if (i !== 4) expect(f[i]).toBe(img[i]);
    expect(f[4]).toBeGreaterThan(0);
    expect(f[4]).toBeLessThan(1);
  });
});
