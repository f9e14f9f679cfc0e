import { test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { runSchedule, scheduleArbitrary } from 'mcp-dpop-fuzz';
import { runClient } from '../src/client.ts';

// Your own property over the fuzzer's schedules: here only nonce challenges and rotations vary.
test.prop([scheduleArbitrary({ only: ['nonces'] })], { numRuns: 30, seed: 9449 })('follows every nonce challenge', async (schedule) => {
  const { results } = await runSchedule(runClient, schedule);
  expect(results.filter((r) => r.status === 'FAILURE')).toEqual([]);
}, 120_000);
