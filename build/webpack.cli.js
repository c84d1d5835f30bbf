/**
 * Node CLI -> dist/cli.js (executable, #!/usr/bin/env node).
 *   npm run build:cli   (= webpack --mode production --env target=cli)
 * sharp and onnxruntime-node stay external (native addons, resolved from node_modules at run
 * time). __dirname is left alone so the CLI finds ../models relative to its own file.
 */
const fs = require('fs');
const path = require('path');
const webpack = require('webpack');

const root = path.resolve(__dirname, '..');

class ChmodPlugin {
  apply(compiler) {
    compiler.hooks.afterEmit.tap('ChmodPlugin', () => {
      const file = path.join(root, 'dist', 'cli.js');
      if (fs.existsSync(file)) fs.chmodSync(file, 0o755);
    });
  }
}

module.exports = (env = {}, argv = {}) => ({
  name: 'cli',
  mode: argv.mode || 'production',
  target: 'node20',
  context: root,
  entry: { cli: './src/hosts/cli/index.ts' },
  output: { path: path.join(root, 'dist'), filename: '[name].js', clean: false },
  resolve: { extensions: ['.ts', '.js', '.mjs'] },
  module: {
    rules: [
      {
        test: /\.ts$/,
        exclude: /node_modules/,
        use: { loader: 'ts-loader', options: { transpileOnly: true, compilerOptions: { noEmit: false } } },
      },
    ],
  },
  externals: { sharp: 'commonjs sharp', 'onnxruntime-node': 'commonjs onnxruntime-node' },
  node: { __dirname: false, __filename: false },
  devtool: false,
  optimization: { minimize: false },
  performance: { hints: false },
  plugins: [new webpack.BannerPlugin({ banner: '#!/usr/bin/env node', raw: true }), new ChmodPlugin()],
});
