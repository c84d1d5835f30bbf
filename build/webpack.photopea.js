/**
 * Photopea plugin + standalone page -> dist/photopea/ (static; serve it with `npm start`).
 *   index.html, bundle.js (the page: UI, hosts), worker.js (its Web Worker: onnxruntime-web and the
 *   whole fill, src/web/fill-worker.ts), ort/ort-wasm-simd-threaded{,.asyncify}.{wasm,mjs}, models/ (models.json + *.onnx),
 *   plugin.json (for Photopea's Window -> Plugins -> Add Plugin), icon.png.
 * env.url=<base URL where dist/photopea/ is served> goes into plugin.json (default http://127.0.0.1:8080/photopea/).
 * env.models=<dir> copies another model folder (default models/). Nothing is fetched from a CDN at run time.
 */
const fs = require('fs');
const path = require('path');
const webpack = require('webpack');
const CopyPlugin = require('copy-webpack-plugin');

const root = path.resolve(__dirname, '..');

module.exports = (env = {}, argv = {}) => {
  const production = (argv.mode ?? 'production') === 'production';
  const modelsDir = env.models ? path.resolve(root, String(env.models)) : path.join(root, 'models');
  const outDir = env.out ? path.resolve(root, String(env.out)) : path.join(root, 'dist/photopea');
  let base = String(env.url || process.env.PLUGIN_URL || 'http://127.0.0.1:8080/photopea/');
  if (!base.endsWith('/')) base += '/';
  const hasModels = fs.existsSync(path.join(modelsDir, 'models.json'));
  const modelFiles = hasModels ? JSON.parse(fs.readFileSync(path.join(modelsDir, 'models.json'), 'utf8')).models.map((m) => m.file) : [];
  const pluginJson = { name: 'Inpaint (ONNX)', url: `${base}index.html`, icon: `===${base}icon.png`, w: 340, h: 640 };
  return {
    name: 'photopea',
    mode: production ? 'production' : 'development',
    target: 'web',
    // Two classic scripts: the page, and the worker it starts with new Worker('worker.js').
    entry: { bundle: path.join(root, 'src/web/index.tsx'), worker: path.join(root, 'src/web/fill-worker.ts') },
    output: { path: outDir, filename: '[name].js', clean: false, publicPath: '' },
    devtool: production ? false : 'source-map',
    performance: { hints: false },
    resolve: { extensions: ['.tsx', '.ts', '.mjs', '.js'] },
    module: {
      parser: {
        javascript: {
          // ORT's bundle names its .wasm and worker with new URL(..., import.meta.url); worker.js sets
          // ort.env.wasm.wasmPaths to ./ort/ and runs ORT without its own proxy worker, so emit neither.
          worker: false,
          url: false,
          dynamicImportMode: 'eager',
        },
      },
      rules: [
        {
          test: /\.tsx?$/,
          exclude: /node_modules/,
          use: { loader: 'ts-loader', options: { transpileOnly: true, compilerOptions: { noEmit: false, module: 'esnext' } } },
        },
      ],
    },
    plugins: [
      new webpack.optimize.LimitChunkCountPlugin({ maxChunks: 1 }),
      new webpack.DefinePlugin({ 'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development') }),
      {
        apply(compiler) {
          compiler.hooks.thisCompilation.tap('photopea-extra', (compilation) => {
            if (!hasModels) {
              compilation.warnings.push(new webpack.WebpackError(`photopea: no ${path.relative(root, modelsDir)}/models.json; the page will say the model is missing.`));
            }
            compilation.hooks.processAssets.tap({ name: 'photopea-extra', stage: webpack.Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL }, () => {
              compilation.emitAsset('plugin.json', new webpack.sources.RawSource(JSON.stringify(pluginJson, null, 2) + '\n'));
            });
          });
        },
      },
      new CopyPlugin({
        patterns: [
          { from: path.join(root, 'src/web/index.html'), to: 'index.html' },
          { from: path.join(root, 'src/web/icon.png'), to: 'icon.png' },
          // With wasmPaths set, ORT loads its glue module from there too (not the copy embedded in the bundle).
          // asyncify: the WebGPU build (used when an adapter exists); plain: the WASM-only build (src/inference/web.ts).
          { from: path.join(root, 'node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.asyncify.wasm'), to: 'ort/[name][ext]' },
          { from: path.join(root, 'node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.asyncify.mjs'), to: 'ort/[name][ext]' },
          { from: path.join(root, 'node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm'), to: 'ort/[name][ext]' },
          { from: path.join(root, 'node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.mjs'), to: 'ort/[name][ext]' },
          ...(hasModels
            ? [{ from: path.join(modelsDir, 'models.json'), to: 'models/models.json' }, ...modelFiles.map((f) => ({ from: path.join(modelsDir, f), to: `models/${f}` }))]
            : []),
        ],
      }),
    ],
  };
};
