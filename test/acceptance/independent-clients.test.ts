import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/corpus/store.ts';
import { runOnce } from '../../src/runner/run-once.ts';
import { PRESETS } from '../../src/schedule/presets.ts';
import type { Schedule } from '../../src/schedule/types.ts';

/**
 * Clients written independently of this project, from the RFCs alone, each
 * making other legal choices than the reference client (see the README next
 * to each): a judge calibrated on one client must not fail them. They run as
 * subprocesses, as a user's client would.
 */
const CLIENTS = ['eager-refresh', 'per-origin-bearer', 'reauthorizing'] as const;

const handPicked = (await loadCorpus('corpus/hand-picked')).map((c) => [path.basename(c.file, '.json'), c.entry.schedule] as const);
const presets = Object.entries(PRESETS).map(([name, p]) => [name, p.schedule] as const);
const schedules: (readonly [string, Schedule])[] = [...handPicked, ...presets];

describe.each(CLIENTS)('the independent client %s', (client) => {
  const command = `node ${path.join('test', 'fixtures', 'independent-clients', client, 'client.mjs')}`;
  it.concurrent.for(schedules)('fails no MUST check under %s', { timeout: 60_000 }, async ([, schedule], { expect: expectHere }) => {
    const { results, outcome } = await runOnce({ target: { kind: 'command', command }, schedule, timeoutMs: 30_000 });
    const failures = results.filter((r) => r.status === 'FAILURE').map((r) => `${r.id}: ${r.message}`);
    expectHere(failures, outcome.stderr.slice(-600)).toEqual([]);
  });
});

describe('the independent clients', () => {
  it.each(CLIENTS)('%s documents its choices next to its code', async (client) => {
    const readme = await readFile(path.join('test', 'fixtures', 'independent-clients', client, 'README.md'), 'utf8');
    expect(readme).toMatch(/RFC 9449 §/);
  });
});
