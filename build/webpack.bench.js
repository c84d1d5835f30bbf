/**
 * Bench-only bundles (owned by bench/): the pipeline exposed to plain-JS bench scripts.
 *   dist/bench/pipeline-node.js  (Node, CommonJS: inpaint, loadNodeModel, greenMask, ...)
 *   dist/bench/web/bench.js      (browser: the jobs/pipeline/web-inference path the page uses)
 * Built by bench/run.js itself (`npx webpack --config build/webpack.bench.js`); not part of `npm run build`.
 */
const path = require('path');
const CopyPlugin = require('copy-webpack-plugin');

const root = path.resolve(__dirname, '..');
const tsRule = {
  test: /\.tsx?$/,
  exclude: /node_modules/,
  use: { loader: 'ts-loader', options: { transpileOnly: true, compilerOptions: { noEmit: false, module: 'esnext' } } },
};
const common = (argv) => ({
  mode: (argv && argv.mode) || 'production',
  context: root,
  resolve: { extensions: ['.ts', '.tsx', '.js', '.mjs'] },
  module: { rules: [tsRule] },
  performance: { hints: false },
  devtool: false,
  optimization: { minimize: false },
});

module.exports = (env, argv) => [
  {
    ...common(argv),
    name: 'bench-node',
    target: 'node20',
    entry: { 'pipeline-node': './bench/src/node-entry.ts' },
    output: { path: path.join(root, 'dist', 'bench'), filename: '[name].js', library: { type: 'commonjs2' }, clean: false },
    externals: { 'onnxruntime-node': 'commonjs onnxruntime-node', sharp: 'commonjs sharp' },
  },
  {
    ...common(argv),
    name: 'bench-web',
    target: 'web',
    entry: { bench: './bench/src/web-entry.ts' },
    output: { path: path.join(root, 'dist', 'bench', 'web'), filename: '[name].js', clean: false },
    plugins: [
      new CopyPlugin({
        patterns: [
          { from: 'bench/browser/index.html', to: 'index.html' },
          { from: 'node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.asyncify.wasm', to: '[name][ext]' },
          { from: 'node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.asyncify.mjs', to: '[name][ext]' },
          // src/inference/web.ts runs the WASM-only build when there is no WebGPU adapter
          { from: 'node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm', to: '[name][ext]' },
          { from: 'node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.mjs', to: '[name][ext]' },
          { from: 'node_modules/@techstark/opencv-js/dist/opencv.js', to: 'opencv.js', noErrorOnMissing: true },
        ],
      }),
    ],
  },
];
