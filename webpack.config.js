/**
 * One webpack entry per target; each target's config lives in build/webpack.<target>.js.
 *   npx webpack --env target=cli          (only the CLI)
 *   npx webpack                            (every target present)
 */
const fs = require('fs');
const path = require('path');

const TARGETS = ['cli', 'photoshop', 'photopea'];

module.exports = (env = {}, argv = {}) => {
  const wanted = env.target ? String(env.target).split(',') : TARGETS;
  const configs = wanted
    .map((t) => path.join(__dirname, 'build', `webpack.${t}.js`))
    .filter((file) => fs.existsSync(file))
    .map((file) => require(file)(env, argv));
  if (configs.length === 0) throw new Error(`no webpack config for target(s): ${wanted.join(', ')}`);
  return configs;
};
