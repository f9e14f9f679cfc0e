/**
 * The clients to compare, discovered rather than listed: the reference
 * client, one broken client per fault the broken client knows, and one
 * published-library target per examples/<name>/run.mjs.
 */
import { readdir, access } from 'node:fs/promises';
import path from 'node:path';
import { FAULT_NAMES } from '../../src/clients/faults.ts';
import type { ClientSpec } from './types.ts';

/** Quotes a word for sh when it holds anything but plain path characters. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_./@%+=:,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/** examples/<name>/ folders holding a run.mjs, sorted by name. */
async function libraryTargets(root: string): Promise<ClientSpec[]> {
  const dir = path.join(root, 'examples');
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const targets: ClientSpec[] = [];
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const runner = path.posix.join('examples', entry.name, 'run.mjs');
    if (await exists(path.join(root, runner))) targets.push({ name: `examples/${entry.name}`, kind: 'library', command: `node ${shellWord(runner)}` });
  }
  return targets;
}

/** Every client, in table order: reference, broken (in src/clients/faults.ts order), libraries. */
export async function discoverClients(root: string): Promise<ClientSpec[]> {
  const reference: ClientSpec = { name: 'reference', kind: 'reference', command: 'node bin/reference-client.js' };
  const broken = FAULT_NAMES.map((fault): ClientSpec => ({ name: `broken/${fault}`, kind: 'broken', command: `node bin/broken-client.js ${shellWord(fault)}` }));
  return [reference, ...broken, ...(await libraryTargets(root))];
}
