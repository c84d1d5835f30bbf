/**
 * Photoshop UXP panel -> dist/photoshop/ (a loadable plugin folder: manifest.json at its root).
 *   npx webpack --mode production --env target=photoshop
 * One classic-script chunk (UXP has no ES modules); photoshop/uxp/fs/os/path come from UXP's require().
 * onnxruntime-web is imported as ESM ('onnxruntime-web/wasm' -> ort.wasm.bundle.min.mjs, glue embedded),
 * its .wasm is copied to ort/ and read with fs at run time (never fetched).
 * Notes: /work/shared/docs/uxp-photoshop.md §6-7, §10.
 */
const fs = require('fs');
const path = require('path');
const webpack = require('webpack');
const CopyPlugin = require('copy-webpack-plugin');

const root = path.resolve(__dirname, '..');

module.exports = (env = {}, argv = {}) => {
  const production = (argv.mode ?? 'production') === 'production';
  // The real models go in models/ (models.json + *.onnx). env.models=<dir> overrides (tests use the tiny fixture).
  const modelsDir = env.models ? path.resolve(root, String(env.models)) : path.join(root, 'models');
  // env.out=<dir> builds the same plugin elsewhere (the UXP sandbox test builds into a temp folder).
  const outDir = env.out ? path.resolve(root, String(env.out)) : path.join(root, 'dist/photoshop');
  return {
    name: 'photoshop',
    mode: production ? 'production' : 'development',
    target: 'web',
    entry: { index: path.join(root, 'src/hosts/photoshop/index.tsx') },
    output: {
      path: outDir,
      filename: 'index.js',
      clean: false,
      globalObject: 'globalThis',
      publicPath: '',
      chunkFormat: 'array-push',
    },
    devtool: production ? false : 'source-map', // never eval-based: UXP may forbid code generation from strings
    resolve: {
      extensions: ['.tsx', '.ts', '.mjs', '.js'],
      conditionNames: ['import', 'module', 'browser', 'default'],
    },
    externalsType: 'commonjs',
    externals: { photoshop: 'photoshop', uxp: 'uxp', fs: 'fs', os: 'os', path: 'path' },
    module: {
      parser: {
        javascript: {
          // ORT's bundle mentions new Worker(new URL(..., import.meta.url)) and new URL('x.wasm', import.meta.url)
          // on code paths UXP never takes (threads, no wasmBinary): do not turn them into chunks or assets.
          worker: false,
          url: false,
          dynamicImportMode: 'eager',
        },
      },
      rules: [
        {
          test: /\.tsx?$/,
          exclude: /node_modules/,
          use: {
            loader: 'ts-loader',
            options: { transpileOnly: true, compilerOptions: { noEmit: false, module: 'esnext', sourceMap: !production } },
          },
        },
      ],
    },
    plugins: [
      {
        apply(compiler) {
          compiler.hooks.thisCompilation.tap('models-warning', (compilation) => {
            if (!fs.existsSync(path.join(modelsDir, 'models.json'))) {
              compilation.warnings.push(new webpack.WebpackError(`photoshop: no ${path.relative(root, modelsDir)}/models.json; dist/photoshop has no model yet.`));
            }
          });
        },
      },
      new webpack.optimize.LimitChunkCountPlugin({ maxChunks: 1 }),
      new webpack.DefinePlugin({
        'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development'),
        // Webpack would bake in a file:// build path; ORT then calls new URL(...) at load time (URL may be
        // absent in UXP). With no script URL, ORT uses its embedded glue when wasmBinary is set and
        // numThreads is 1 (importWasmModule in ORT 1.24+), which is what UXP needs anyway.
        'import.meta.url': 'undefined',
      }),
      new CopyPlugin({
        patterns: [
          { from: path.join(root, 'manifest.json'), to: 'manifest.json' },
          { from: path.join(root, 'src/hosts/photoshop/index.html'), to: 'index.html' },
          { from: '*.png', context: path.join(root, 'icons'), to: 'icons/[name][ext]' },
          { from: path.join(root, 'node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm'), to: 'ort/ort-wasm-simd-threaded.wasm' },
          // Missing models are not a build error (the other targets still build); the panel then says
          // "Cannot read the model list …" and the build prints a warning.
          { from: path.join(modelsDir, 'models.json'), to: 'models/models.json', noErrorOnMissing: true },
          { from: '*.onnx', context: modelsDir, to: 'models/[name][ext]', noErrorOnMissing: true },
        ],
      }),
    ],
    performance: { hints: false },
    optimization: {
      splitChunks: false,
      runtimeChunk: false,
      // terser options for webpack's default minimizer: ASCII only (\u escapes), so the text (—, …) reads
      // the same whatever encoding UXP assumes for index.js.
      minimizeOptions: { javascript: { compress: { passes: 2 }, format: { ascii_only: true } } },
    },
  };
};
