/** Bundles entry.ts (the WebGPU-vs-WASM test page's script) into env.out/bundle.js; see ../webgpu.test.ts. */
const path = require('path');

module.exports = (env = {}) => ({
  mode: 'development',
  target: 'web',
  devtool: false,
  entry: path.join(__dirname, 'entry.ts'),
  output: { path: path.resolve(String(env.out)), filename: 'bundle.js', publicPath: '' },
  resolve: { extensions: ['.ts', '.mjs', '.js'] },
  performance: { hints: false },
  module: {
    parser: { javascript: { worker: false, url: false, dynamicImportMode: 'eager' } },
    rules: [
      {
        test: /\.ts$/,
        exclude: /node_modules/,
        use: { loader: 'ts-loader', options: { transpileOnly: true, compilerOptions: { noEmit: false, module: 'esnext' } } },
      },
    ],
  },
});
