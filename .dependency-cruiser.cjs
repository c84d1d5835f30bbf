/**
 * Architecture layers of src/, checked by dependency-cruiser (`npm run lint:layers`, part of `npm test`).
 *
 *   core       pure algorithms: imports only src/core (no npm packages, no Node builtins)
 *   inference  model runners: core, itself, npm packages, Node builtins; the only home of onnxruntime-*
 *   pipeline   core, inference, itself
 *   contracts  Host interface, option/settings types and validators: core, inference, pipeline, itself
 *   jobs       core, inference, pipeline, contracts, itself
 *   ui         core, inference, pipeline, contracts, jobs, itself, npm packages (react, …)
 *   browser    browser utilities (png, limits, raster-view): core, contracts, itself, npm packages
 *   hosts/<h>  anything in src except another host and src/web; npm packages and builtins allowed
 *   web        the page bundles: anything
 *
 * "imports only X" layers (core, pipeline, contracts, jobs) may not import npm packages or Node
 * builtins either; ui and browser may import npm packages but not Node builtins.
 * Type-only imports count (tsPreCompilationDeps). Rule names are what the test
 * tests/tooling/layers.test.ts asserts on, so rename them in both places.
 */

const NPM_TYPES = ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-bundled', 'npm-no-pkg', 'npm-unknown'];

/**
 * Rules for one layer: `src/<name>/` may reach only the src folders in `allowed`. Without `npm` or
 * `builtins`, nothing outside src/ is allowed either (one rule, `layer-<name>`); with them, a second
 * rule `layer-<name>-external` forbids what is outside src/ and is neither an npm package nor
 * (with `builtins`) a Node builtin.
 */
function layer(name, allowed, comment, { npm = false, builtins = false } = {}) {
  const from = { path: `^src/${name}/` };
  const notAllowedSrc = `^src/(${allowed.join('|')})/`;
  if (!npm && !builtins) {
    return [{ name: `layer-${name}`, comment, severity: 'error', from, to: { pathNot: notAllowedSrc } }];
  }
  const externalTypes = [...(npm ? NPM_TYPES : []), ...(builtins ? ['core'] : [])];
  return [
    { name: `layer-${name}`, comment, severity: 'error', from, to: { path: '^src/', pathNot: notAllowedSrc } },
    {
      name: `layer-${name}-external`,
      comment: `outside src/, ${name} may import only ${[npm && 'npm packages', builtins && 'Node builtins'].filter(Boolean).join(' and ')}`,
      severity: 'error',
      from,
      to: { pathNot: '^src/', dependencyTypesNot: externalTypes },
    },
  ];
}

const ONNX = '(^|/)node_modules/onnxruntime-(node|web|common)/|^onnxruntime-(node|web|common)(/|$)';
// Modules the UXP runtime provides to the Photoshop panel (webpack externals): `photoshop` resolves
// to its typings in @types/photoshop, `uxp` to nothing at all.
const UXP_RUNTIME = '^(photoshop|uxp)$';
const UXP_RUNTIME_OR_TYPES = `${UXP_RUNTIME}|(^|/)node_modules/@types/(photoshop|uxp)/`;

module.exports = {
  forbidden: [
    layer('core', ['core'], 'src/core imports only src/core: no npm packages, no Node builtins, no other layer'),
    layer('inference', ['core', 'inference'], 'src/inference imports only src/core and itself (+ npm packages, Node builtins)', { npm: true, builtins: true }),
    layer('pipeline', ['core', 'inference', 'pipeline'], 'src/pipeline imports only core, inference and itself'),
    layer('contracts', ['core', 'inference', 'pipeline', 'contracts'], 'src/contracts imports only core, inference, pipeline and itself'),
    layer('jobs', ['core', 'inference', 'pipeline', 'contracts', 'jobs'], 'src/jobs imports only core, inference, pipeline, contracts and itself'),
    layer('ui', ['core', 'inference', 'pipeline', 'contracts', 'jobs', 'ui'], 'src/ui imports only core, inference, pipeline, contracts, jobs, itself (+ npm packages)', { npm: true }),
    layer('browser', ['core', 'contracts', 'browser'], 'src/browser imports only core, contracts, itself (+ npm packages)', { npm: true }),
    {
      name: 'host-to-other-host',
      comment: 'a host (src/hosts/<name>/, or a file directly in src/hosts/) never imports another host',
      severity: 'error',
      from: { path: '^src/hosts/([^/]+)' },
      to: { path: '^src/hosts/', pathNot: '^src/hosts/$1(/|$)' },
    },
    {
      name: 'host-to-web',
      comment: 'hosts never import the page bundles in src/web',
      severity: 'error',
      from: { path: '^src/hosts/' },
      to: { path: '^src/web/' },
    },
    {
      name: 'onnxruntime-outside-inference',
      comment: 'only src/inference may import onnxruntime-node, onnxruntime-web or onnxruntime-common',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/inference/' },
      to: { path: ONNX },
    },
    {
      name: 'uxp-runtime-outside-photoshop-host',
      comment: 'the UXP runtime modules (photoshop, uxp) exist only inside the Photoshop panel',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/hosts/photoshop/' },
      to: { path: UXP_RUNTIME_OR_TYPES },
    },
    {
      name: 'no-circular',
      comment: 'no import cycles',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'every import resolves (UXP runtime modules excepted: see uxp-runtime-outside-photoshop-host)',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true, pathNot: UXP_RUNTIME },
    },
  ].flat(),
  options: {
    doNotFollow: { path: 'node_modules' },
    moduleSystems: ['es6', 'cjs', 'tsd'],
    // `import type` and type-only re-exports are dependencies too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
