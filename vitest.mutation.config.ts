import { defineConfig } from 'vitest/config';

// The oracle of `npm run mutation` (Stryker on our own judge, DPoP helpers and the reference
// client's DPoP modules): the unit tests of those modules, the property suite, the non-vacuity
// proof of every check and the legal-choice regressions. The CLI, report, corpus, mutation and
// official-suite tests exercise other code and only slow every mutant down.
export default defineConfig({
  test: {
    include: [
      'test/checks/**/*.test.ts',
      'test/dpop/**/*.test.ts',
      'test/clients/**/*.test.ts',
      'test/acceptance/non-vacuity.test.ts',
      'test/regressions/**/*.test.ts',
      'properties/**/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 30_000,
    fileParallelism: true,
    maxWorkers: 1,
  },
});
