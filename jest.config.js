/**
 * Jest runs the TypeScript sources as native ES modules (ky and zod ship
 * ESM only), so `npm test` starts node with --experimental-vm-modules.
 * Type checking is `npm run typecheck`'s job; ts-jest only transpiles.
 */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  // Integration tests talk to real Redis and HTTP servers; the default 5 s
  // is too tight on a loaded 2-core machine.
  testTimeout: 30_000,
  maxWorkers: 2,
};
