import { createHash } from 'node:crypto';
import { link, mkdir, readdir, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readJsonFile } from '../io/read-json-file.ts';
import { CorpusError, parseCorpusEntry, type CorpusEntry } from './entry.ts';

/** A corpus entry and the file it came from. */
export interface StoredEntry {
  readonly file: string;
  readonly entry: CorpusEntry;
}

/**
 * Reads every `*.json` file under `dir` (recursively, sorted by path so runs
 * are reproducible). A missing directory is an empty corpus; a corrupt file
 * is a `CorpusError` naming it.
 */
export async function loadCorpus(dir: string): Promise<StoredEntry[]> {
  let names: string[];
  try {
    names = (await readdir(dir, { recursive: true })).map(String);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new CorpusError(`cannot read corpus directory ${dir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const files = names.filter((n) => n.endsWith('.json')).sort().map((n) => path.join(dir, n));
  const entries: StoredEntry[] = [];
  for (const file of files) entries.push({ file, entry: await loadCorpusFile(file) });
  return entries;
}

/** Reads and validates one corpus file. */
export async function loadCorpusFile(file: string): Promise<CorpusEntry> {
  const json = await readJsonFile(file, 'corpus file', (message) => new CorpusError(message));
  return parseCorpusEntry(json, file);
}

function slug(text: string): string {
  return text.toLowerCase().replace(/^sep-1932-client-/, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'entry';
}

/**
 * Saves an entry as `<dir>/<check>-<hash>.json`, atomically (temp file, then
 * a hard link that fails if the name exists) and never over another file:
 * the name carries a hash of the content, so the same counterexample found
 * twice is stored once. Returns the file path.
 */
export async function saveCorpusEntry(dir: string, entry: CorpusEntry): Promise<string> {
  await mkdir(dir, { recursive: true });
  const text = `${JSON.stringify(entry, null, 2)}\n`;
  const identity = JSON.stringify({ client: entry.client, checks: entry.checks, schedule: entry.schedule });
  const hash = createHash('sha256').update(identity).digest('hex').slice(0, 12);
  const file = path.join(dir, `${slug(entry.checks[0] ?? entry.title)}-${hash}.json`);
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  await writeFile(temp, text, { flag: 'wx' });
  try {
    await link(temp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new CorpusError(`cannot write corpus file ${file}: ${(err as Error).message}`);
    // Same hash: the same counterexample is already there.
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  return file;
}
