import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain JavaScript module without types (it loads before any TypeScript loader)
import { initialize, resolve } from '../../src/mutation/redirect-hooks.mjs';

type Resolve = (specifier: string, context: { parentURL?: string }) => Promise<{ url: string }>;

const FROM = 'file:///project/node_modules/pkg/';
const TO = 'file:///tmp/work/pkg/';

/** A stand-in for Node's resolver: records the parent it was asked about. */
function fakeNext(table: Record<string, string>): { next: Resolve; parents: (string | undefined)[] } {
  const parents: (string | undefined)[] = [];
  const next: Resolve = async (specifier, context) => {
    parents.push(context.parentURL);
    const url = table[specifier] ?? new URL(specifier, context.parentURL).href;
    return { url };
  };
  return { next, parents };
}

describe('redirect hooks', () => {
  initialize({ from: FROM, to: TO });
  const run = resolve as (s: string, c: { parentURL?: string }, n: Resolve) => Promise<{ url: string }>;

  it('sends an import of the installed package to the copy', async () => {
    const { next } = fakeNext({ pkg: `${FROM}dist/index.mjs` });
    expect((await run('pkg', { parentURL: 'file:///project/client.ts' }, next)).url).toBe(`${TO}dist/index.mjs`);
  });

  it('resolves the copy’s own imports from the original place, and keeps chunks in the copy', async () => {
    const { next, parents } = fakeNext({ zod: 'file:///project/node_modules/zod/index.js' });
    expect((await run('zod', { parentURL: `${TO}dist/index.mjs` }, next)).url).toBe('file:///project/node_modules/zod/index.js');
    expect(parents[0]).toBe(`${FROM}dist/index.mjs`);
    expect((await run('./public-X.mjs', { parentURL: `${TO}dist/index.mjs` }, next)).url).toBe(`${TO}dist/public-X.mjs`);
  });

  it('leaves everything else alone', async () => {
    const { next } = fakeNext({ jose: 'file:///project/node_modules/jose/index.js' });
    expect((await run('jose', { parentURL: 'file:///project/client.ts' }, next)).url).toBe('file:///project/node_modules/jose/index.js');
  });
});
