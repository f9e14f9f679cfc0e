import { defineConfig } from 'vitest/config';

// The oracle of `npm run mutation` (Stryker on our own judge, DPoP helpers and the reference
// client's DPoP modules): the unit tests of those modules, the property suite, the non-vacuity
// proof of every check and the legal-choice regressions. The CLI, report, corpus, mutation and
// official-suite tests exercise other code and only slow every mutant down. So does the search
// for each broken client (properties/broken-clients.test.ts: up to 400 generated runs per fault,
// for every mutant it covers); non-vacuity.test.ts runs every broken client on its preset
// instead, which is what kills a mutant that blinds a check, in one run.
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
    exclude: ['properties/broken-clients.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 30_000,
    fileParallelism: true,
    maxWorkers: 1,
  },
});
