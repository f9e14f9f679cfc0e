import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CORPUS_FORMAT, CorpusError, type CorpusEntry } from '../../src/corpus/entry.ts';
import { loadCorpus, saveCorpusEntry } from '../../src/corpus/store.ts';
import { scheduleWith } from '../../src/schedule/defaults.ts';

const entry = (checks: string[], nonce = 'n|0'): CorpusEntry => ({
  format: CORPUS_FORMAT,
  title: 'test entry',
  client: 'node bin/broken-client.js ignore-rs-nonce',
  expect: 'fail',
  checks,
  recorded: '2026-11-26T00:00:00.000Z',
  schedule: scheduleWith({ mcp: { post: [{ kind: 'use-dpop-nonce', nonce }] } }),
});

describe('corpus store', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'corpus-test-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('saves an entry under its check name and loads it back', async () => {
    const file = await saveCorpusEntry(dir, entry(['sep-1932-client-rs-nonce']));
    expect(path.basename(file)).toMatch(/^rs-nonce-[0-9a-f]{12}\.json$/);
    const loaded = await loadCorpus(dir);
    expect(loaded).toEqual([{ file, entry: entry(['sep-1932-client-rs-nonce']) }]);
  });

  it('never overwrites: the same counterexample is stored once, a different one beside it', async () => {
    const a = await saveCorpusEntry(dir, entry(['sep-1932-client-rs-nonce']));
    const again = await saveCorpusEntry(dir, { ...entry(['sep-1932-client-rs-nonce']), recorded: '2027-01-01T00:00:00.000Z' });
    const b = await saveCorpusEntry(dir, entry(['sep-1932-client-rs-nonce'], 'other|0'));
    expect(again).toBe(a);
    expect(b).not.toBe(a);
    // The first write wins and no temp file is left behind.
    expect(JSON.parse(await readFile(a, 'utf8')).recorded).toBe('2026-11-26T00:00:00.000Z');
    expect((await readdir(dir)).sort()).toEqual([path.basename(a), path.basename(b)].sort());
  });

  it('treats a missing directory as an empty corpus', async () => {
    expect(await loadCorpus(path.join(dir, 'absent'))).toEqual([]);
  });

  it.each([
    ['not JSON', '{"format": ', /corpus file .*broken\.json is not valid JSON/],
    ['not an entry', '{"hello": 1}', /corpus file .*broken\.json is not a corpus entry/],
    ['a bad schedule', JSON.stringify({ ...entry(['x']), schedule: { version: 2 } }), /corpus file .*broken\.json: invalid schedule/],
    ['a failure without checks', JSON.stringify(entry([])), /must name the checks/],
  ])('names a corrupt file (%s)', async (_what, text, message) => {
    await writeFile(path.join(dir, 'broken.json'), text);
    const error = await loadCorpus(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorpusError);
    expect((error as Error).message).toMatch(message);
  });
});
