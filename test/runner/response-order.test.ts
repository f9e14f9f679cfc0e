import fc from 'fast-check';
import { expect, it } from 'vitest';
import { referenceTarget } from '../../src/clients/target.ts';
import { runOnce } from '../../src/runner/run-once.ts';
import { scheduleWith } from '../../src/schedule/defaults.ts';

/**
 * In-process runs hand fast-check's scheduler to the servers: it decides in
 * which order the answers to concurrent requests go out, so different
 * schedulers produce different interleavings of the same plan.
 */
it('fast-check schedules the order in which concurrent answers are released', { timeout: 120_000 }, async () => {
  const schedule = scheduleWith({ plan: [['tools/list', 'ping', 'resources/list', 'prompts/list']] });
  const orders = new Set<string>();
  await fc.assert(
    fc.asyncProperty(fc.scheduler(), async (s) => {
      const released: number[] = [];
      const run = runOnce({
        target: referenceTarget(),
        schedule,
        timeoutMs: 20_000,
        releaseGate: async (label) => {
          await s.schedule(Promise.resolve(), label);
          released.push(Number(/#(\d+)$/.exec(label)?.[1]));
        },
      });
      const { trace, outcome } = await s.waitFor(run);
      expect(outcome.exitCode).toBe(0);
      // The plan's four concurrent POSTs, in the order their answers were sent.
      const planned = new Map(trace.entries.flatMap((e) => (e.rpc.some((m) => ['tools/list', 'ping', 'resources/list', 'prompts/list'].includes(m.method ?? '')) ? [[e.seq, e.rpc[0]!.method] as const] : [])));
      const order = released.filter((seq) => planned.has(seq)).map((seq) => planned.get(seq));
      expect(order).toHaveLength(4);
      orders.add(order.join(','));
    }),
    { seed: 1932, numRuns: 12 },
  );
  expect(orders.size).toBeGreaterThan(1);
});
