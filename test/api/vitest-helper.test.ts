import { describe } from 'vitest';
import { faultyClient, referenceClient } from '../../src/reference-clients.ts';
import { itSurvivesDpopFuzzing } from '../../src/vitest.ts';

// The helper as a maintainer uses it: one line declares a test. A broken
// client's failing test is exercised in the example project (test/package).
describe('itSurvivesDpopFuzzing', () => {
  itSurvivesDpopFuzzing(referenceClient, { runs: 10, seed: 5, workers: 2 });
  itSurvivesDpopFuzzing(faultyClient('jti-counter'), { name: 'replays a fixed counterexample (the fault does not matter under --checks ath)', runs: 5, seed: 5, workers: 2, checks: ['sep-1932-client-ath'], saveTo: false });
});
