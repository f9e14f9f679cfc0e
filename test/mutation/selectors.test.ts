import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MutationError } from '../../src/mutation/errors.ts';
import { declarationLines, parseSelector, regionLines, resolveSelectors, strykerPattern } from '../../src/mutation/selectors.ts';

const BUNDLE = [
  'import { x } from "./chunk-ABC.mjs";', // 1
  '//#region src/a.ts', // 2
  'function a() {', // 3
  '  return 1;', // 4
  '}', // 5
  '//#endregion', // 6
  '//#region src/b.ts', // 7
  'const withB = (n) => {', // 8
  '  return n + 1;', // 9
  '};', // 10
  'var Klass = class Klass {};', // 11
  '//#endregion', // 12
].join('\n');

describe('mutate selectors', () => {
  it('parses the three forms', () => {
    expect(parseSelector('dist/index.mjs').part).toEqual({ kind: 'file' });
    expect(parseSelector('dist/index.mjs:3-5').part).toEqual({ kind: 'lines', start: 3, end: 5 });
    expect(parseSelector('dist/index.mjs#src/client/dpop.ts').part).toEqual({ kind: 'named', name: 'src/client/dpop.ts', word: null });
    expect(parseSelector('dist/public-*.mjs#executeTokenRequest').file).toBe('dist/public-*.mjs');
  });

  it('refuses paths outside the package and bad line ranges', () => {
    expect(() => parseSelector('../other/index.mjs')).toThrow(MutationError);
    expect(() => parseSelector('/etc/passwd')).toThrow(/inside the package/);
    expect(() => parseSelector('dist/index.mjs:5-3')).toThrow(/start ≤ end/);
    expect(() => parseSelector('dis*/index.mjs')).toThrow(/only allowed in the file name/);
  });

  it('finds a region between its markers, markers excluded', () => {
    expect(regionLines(BUNDLE, 'src/a.ts')).toEqual({ start: 3, end: 5 });
    expect(regionLines(BUNDLE, 'src/b.ts')).toEqual({ start: 8, end: 11 });
    expect(regionLines(BUNDLE, 'src/c.ts')).toBeNull();
  });

  it('finds function, const and class declarations by name', async () => {
    expect(await declarationLines(BUNDLE, 'x.mjs', 'a')).toEqual({ start: 3, end: 5 });
    expect(await declarationLines(BUNDLE, 'x.mjs', 'withB')).toEqual({ start: 8, end: 10 });
    expect(await declarationLines(BUNDLE, 'x.mjs', 'Klass')).toEqual({ start: 11, end: 11 });
    expect(await declarationLines(BUNDLE, 'x.mjs', 'missing')).toBeNull();
  });

  it('resolves globs and names in a package folder, and fails loudly on what is not there', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'selectors-'));
    await mkdir(path.join(dir, 'dist'));
    await writeFile(path.join(dir, 'dist', 'index.mjs'), BUNDLE);
    await writeFile(path.join(dir, 'dist', 'public-Xy12.mjs'), BUNDLE);
    const [region, glob, lines] = await resolveSelectors(dir, ['dist/index.mjs#src/a.ts', 'dist/public-*.mjs#withB', 'dist/index.mjs:2-4'].map(parseSelector));
    expect(region && strykerPattern(region, 'pkg')).toBe('pkg/dist/index.mjs:3-5');
    expect(glob && strykerPattern(glob, 'pkg')).toBe('pkg/dist/public-Xy12.mjs:8-10');
    expect(lines && strykerPattern(lines, 'pkg')).toBe('pkg/dist/index.mjs:2-4');
    await expect(resolveSelectors(dir, [parseSelector('dist/index.mjs#nowhere')])).rejects.toThrow(/no region or declaration named "nowhere"/);
    await expect(resolveSelectors(dir, [parseSelector('dist/other-*.mjs')])).rejects.toThrow(/no file matches/);
    await expect(resolveSelectors(dir, [parseSelector('dist/index.mjs:1-99')])).rejects.toThrow(/has only 12 lines/);
  });
});

describe('mutate selectors narrowed to a word', () => {
  const TOKEN_REQUEST = [
    'async function executeTokenRequest(url, { dpop, auth }) {', // 1
    '  const headers = new Headers();', // 2
    '  const once = async () => {', // 3
    '    if (auth) await auth(headers);', // 4
    '    if (dpop) headers.set("DPoP", await dpop.buildProof());', // 5
    '    return fetch(url, { headers });', // 6
    '  };', // 7
    '  let response = await once();', // 8
    '  if (dpop && response.status === 400) {', // 9
    '    response = await once();', // 10
    '  }', // 11
    '  dpop?.observeNonce(response);', // 12
    '  if (!response.ok) throw new Error("failed");', // 13
    '}', // 14
  ].join('\n');

  it('keeps only the statements that mention the word', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'selectors-'));
    await writeFile(path.join(dir, 'token.mjs'), TOKEN_REQUEST);
    const resolved = await resolveSelectors(dir, [parseSelector('token.mjs#executeTokenRequest@DPoP')]);
    expect(resolved.map((r) => r.lines)).toEqual([
      { start: 5, end: 5 },
      { start: 9, end: 11 },
      { start: 12, end: 12 },
    ]);
    await expect(resolveSelectors(dir, [parseSelector('token.mjs#executeTokenRequest@nowhere')])).rejects.toThrow(/no region or declaration/);
  });
});
