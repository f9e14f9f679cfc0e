/**
 * What to mutate inside a package, as the user writes it, and its translation
 * into Stryker `mutate` patterns (`file:startLine-endLine`).
 *
 * A selector is `<file>`, `<file>:<start>-<end>` (lines, as Stryker takes
 * them) or `<file>#<name>`: the `//#region <name>` of a bundle (rolldown,
 * tsdown and esbuild keep one region per source file) or else the function,
 * class or variable declaration called `<name>`. `<file>#<name>@<word>`
 * narrows a declaration to its statements that mention `<word>` (any case):
 * e.g. the DPoP steps of a token request function, not its client
 * authentication or error parsing. The file part is relative to
 * the package directory and may use `*` in its last segment, since bundle
 * chunk names carry a content hash (`dist/public-*.mjs`).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { MutationError } from './errors.ts';

export interface Selector {
  /** As written, for reports. */
  readonly text: string;
  readonly file: string;
  readonly part: { kind: 'file' } | { kind: 'lines'; start: number; end: number } | { kind: 'named'; name: string; word: string | null };
}

/** A selector resolved in a package copy: one file (relative to the package) and a line range. */
export interface ResolvedSelector {
  readonly selector: Selector;
  readonly file: string;
  /** Inclusive, 1-based; null = the whole file. */
  readonly lines: { start: number; end: number } | null;
}

export function parseSelector(text: string): Selector {
  const trimmed = text.trim();
  const named = /^(.+)#([^#@]+)(?:@([^#@]+))?$/.exec(trimmed);
  if (named?.[1] && named[2]) return { text: trimmed, file: checkedFile(named[1], text), part: { kind: 'named', name: named[2], word: named[3] ?? null } };
  const lines = /^(.+):(\d+)-(\d+)$/.exec(trimmed);
  if (lines?.[1] && lines[2] && lines[3]) {
    const start = Number(lines[2]);
    const end = Number(lines[3]);
    if (start < 1 || end < start) throw new MutationError(`mutate selector ${JSON.stringify(text)}: lines must be <start>-<end> with 1 ≤ start ≤ end`);
    return { text: trimmed, file: checkedFile(lines[1], text), part: { kind: 'lines', start, end } };
  }
  return { text: trimmed, file: checkedFile(trimmed, text), part: { kind: 'file' } };
}

function checkedFile(file: string, text: string): string {
  const normal = path.posix.normalize(file.replace(/\\/g, '/'));
  if (normal === '' || normal === '.' || normal.startsWith('../') || path.posix.isAbsolute(normal)) {
    throw new MutationError(`mutate selector ${JSON.stringify(text)}: the file must be a path inside the package, e.g. dist/index.mjs#src/client/dpop.ts`);
  }
  if (normal.slice(0, -path.posix.basename(normal).length).includes('*')) throw new MutationError(`mutate selector ${JSON.stringify(text)}: '*' is only allowed in the file name`);
  return normal;
}

/** The files of `dir` matching the selector's file (one, or several for a `*` pattern). */
async function matchFiles(packageDir: string, selector: Selector): Promise<string[]> {
  if (!selector.file.includes('*')) return [selector.file];
  const folder = path.posix.dirname(selector.file);
  const pattern = new RegExp(`^${path.posix.basename(selector.file).split('*').map(escapeRegExp).join('[^/]*')}$`);
  const names = await readdir(path.join(packageDir, folder)).catch(() => [] as string[]);
  return names.filter((n) => pattern.test(n)).sort().map((n) => path.posix.join(folder, n));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Resolves selectors against the package copy at `packageDir`. Throws
 * `MutationError` for a file that does not exist or a name found nowhere, so
 * a selector written for another version of the package fails loudly.
 */
export async function resolveSelectors(packageDir: string, selectors: readonly Selector[]): Promise<ResolvedSelector[]> {
  const resolved: ResolvedSelector[] = [];
  for (const selector of selectors) {
    const files = await matchFiles(packageDir, selector);
    if (files.length === 0) throw new MutationError(`mutate selector ${JSON.stringify(selector.text)}: no file matches ${selector.file} in the package`);
    let found = false;
    for (const file of files) {
      const text = await readFile(path.join(packageDir, file), 'utf8').catch(() => null);
      if (text === null) throw new MutationError(`mutate selector ${JSON.stringify(selector.text)}: ${file} is not a file of the package`);
      const lineCount = text.split('\n').length;
      const { part } = selector;
      if (part.kind === 'file') {
        resolved.push({ selector, file, lines: null });
        found = true;
      } else if (part.kind === 'lines') {
        if (part.end > lineCount) throw new MutationError(`mutate selector ${JSON.stringify(selector.text)}: ${file} has only ${lineCount} lines`);
        resolved.push({ selector, file, lines: { start: part.start, end: part.end } });
        found = true;
      } else {
        const ranges = part.word === null ? [regionLines(text, part.name) ?? (await declarationLines(text, file, part.name))].filter((r) => r !== null) : await mentioningLines(text, file, part.name, part.word);
        for (const lines of ranges) resolved.push({ selector, file, lines });
        if (ranges.length > 0) found = true;
      }
    }
    if (!found) throw new MutationError(`mutate selector ${JSON.stringify(selector.text)}: no region or declaration named ${JSON.stringify(selector.part.kind === 'named' ? selector.part.name : '')} in ${files.join(', ')}`);
  }
  return resolved;
}

/** The lines between `//#region <name>` and its `//#endregion`, markers excluded. */
export function regionLines(text: string, name: string): { start: number; end: number } | null {
  const lines = text.split('\n');
  const open = lines.findIndex((l) => l.trim() === `//#region ${name}`);
  if (open < 0) return null;
  let depth = 0;
  for (let i = open + 1; i < lines.length; i++) {
    const line = lines[i]?.trim() ?? '';
    if (line.startsWith('//#region')) depth++;
    else if (line.startsWith('//#endregion')) {
      if (depth === 0) return i > open + 1 ? { start: open + 2, end: i } : null;
      depth--;
    }
  }
  return null;
}

type TypeScript = typeof import('typescript');
type LineRange = { start: number; end: number };

/** The top-level function, class or variable statement that declares `name` (TypeScript's parser reads JS too). */
async function findDeclaration(text: string, file: string, name: string) {
  const ts: TypeScript = (await import('typescript')).default;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const statement = source.statements.find(
    (s) =>
      ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && s.name?.text === name) ||
      (ts.isVariableStatement(s) && s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name)),
  );
  const lines = (node: import('typescript').Node): LineRange => ({
    start: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1,
    end: source.getLineAndCharacterOfPosition(node.getEnd()).line + 1,
  });
  return statement ? { ts, source, statement, lines } : null;
}

/** The lines of the top-level declaration of `name`. */
export async function declarationLines(text: string, file: string, name: string): Promise<LineRange | null> {
  const found = await findDeclaration(text, file, name);
  return found ? found.lines(found.statement) : null;
}

/**
 * The statements inside the declaration of `name` that mention `word`: an
 * `if` whose condition mentions it is taken whole; a statement holding blocks
 * (a nested function, a try) is searched inside; any other statement is
 * taken when its text mentions the word.
 */
export async function mentioningLines(text: string, file: string, name: string, word: string): Promise<LineRange[]> {
  const found = await findDeclaration(text, file, name);
  if (!found) return [];
  const { ts, source, statement, lines } = found;
  const needle = word.toLowerCase();
  const mentions = (node: import('typescript').Node) => node.getText(source).toLowerCase().includes(needle);
  const ranges: LineRange[] = [];
  const blocksIn = (node: import('typescript').Node): import('typescript').Block[] => {
    const blocks: import('typescript').Block[] = [];
    const walk = (n: import('typescript').Node): void => {
      if (ts.isBlock(n)) blocks.push(n);
      else ts.forEachChild(n, walk);
    };
    ts.forEachChild(node, walk);
    return blocks;
  };
  const visit = (s: import('typescript').Statement): void => {
    if (!mentions(s)) return;
    if (ts.isIfStatement(s) && mentions(s.expression)) ranges.push(lines(s));
    else {
      const blocks = blocksIn(s);
      if (blocks.length === 0) ranges.push(lines(s));
      else for (const block of blocks) block.statements.forEach(visit);
    }
  };
  for (const block of blocksIn(statement)) block.statements.forEach(visit);
  return ranges;
}

/** Stryker's `mutate` pattern for a resolved selector, the file placed under `prefix` (the copy's folder in the work directory). */
export function strykerPattern(resolved: ResolvedSelector, prefix: string): string {
  const file = path.posix.join(prefix, resolved.file);
  return resolved.lines ? `${file}:${resolved.lines.start}-${resolved.lines.end}` : file;
}
