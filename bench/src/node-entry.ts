/**
 * @file What the plain-JS bench scripts need from the TypeScript sources, bundled for Node by
 * build/webpack.bench.js into dist/bench/pipeline-node.js. Nothing here but re-exports.
 */
export { inpaint } from '../../src/pipeline';
export { loadNodeModel } from '../../src/inference/node';
export { greenMask, growMask, maskCount } from '../../src/core/mask';
export { contextBoxes } from '../../src/core/regions';
export { findRegions } from '../../src/core/regions';
export { detectMosaicGrid } from '../../src/core/mosaic';
export { maskBounds } from '../../src/core/mask';
// the synthetic mosaic pages of the unit tests, so section 7 times the very workload they use
export { mosaicCase } from '../../tests/helpers/mosaicSynth';
export { detectMosaics } from '../../src/core/mosaic-detect';
// the classical reconstruction alone (bench/fsr.js)
export { fsrFillBox } from '../../src/core/fsr';
