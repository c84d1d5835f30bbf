import { makeTaps, resizePlanar } from '../../src/core/resample';

describe('resample', () => {
  it('area filter averages exact blocks and preserves the mean', () => {
    const src = Float32Array.from({ length: 16 }, (_, i) => i);
    const out = resizePlanar(src, 1, 4, 4, 2, 2);
    expect([...out]).toEqual([2.5, 4.5, 10.5, 12.5]);
    const odd = Float32Array.from({ length: 7 * 5 }, (_, i) => (i * 37) % 11);
    const o2 = resizePlanar(odd, 1, 7, 5, 3, 2);
    const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean(o2)).toBeCloseTo(mean(odd), 4);
  });
  it('identity and bicubic keep constants and reproduce linear ramps inside', () => {
    const c = new Float32Array(2 * 5 * 3).fill(0.25);
    expect([...resizePlanar(c, 2, 5, 3, 5, 3)]).toEqual([...c]);
    expect(resizePlanar(c, 2, 5, 3, 13, 11).every((v) => Math.abs(v - 0.25) < 1e-6)).toBe(true);
    const ramp = Float32Array.from({ length: 8 }, (_, i) => i);
    const up = resizePlanar(ramp, 1, 8, 1, 16, 1);
    // output centre i maps to source x = (i + 0.5) / 2 - 0.5; exact on a line away from edges
    for (let i = 4; i < 12; i++) expect(up[i]).toBeCloseTo((i + 0.5) / 2 - 0.5, 5);
  });
  it('taps are normalised', () => {
    for (const [a, b] of [[10, 3], [3, 10], [7, 7], [1000, 333]]) {
      const t = makeTaps(a!, b!);
      for (let i = 0; i < t.dstLen; i++) {
        let s = 0;
        for (let k = 0; k < t.size; k++) s += t.weights[i * t.size + k]!;
        expect(s).toBeCloseTo(1, 5);
      }
    }
  });
});
