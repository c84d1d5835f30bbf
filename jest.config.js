/** Jest runs TypeScript through ts-jest, compiled to CommonJS for Node. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: { module: 'commonjs', moduleResolution: 'node', jsx: 'react-jsx', isolatedModules: true } }],
  },
  // Realm-independent typed-array instanceof for onnxruntime under jest's vm (jestjs/jest#11864).
  setupFiles: ['<rootDir>/tests/inference/realm.ts'],
  testTimeout: 120000,
  reporters: ['default', '<rootDir>/tests/summary-reporter.js'],
};
