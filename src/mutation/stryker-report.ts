/**
 * Reading Stryker's JSON report (mutation-testing-report-schema): the parts
 * a summary needs, each mutant with its diff and the name of the test that
 * killed it.
 */
import { readJsonFile } from '../io/read-json-file.ts';
import { MutationError } from './errors.ts';

export type MutantStatus = 'Killed' | 'Survived' | 'NoCoverage' | 'Timeout' | 'CompileError' | 'RuntimeError' | 'Ignored' | 'Pending';

export interface ReportedMutant {
  readonly id: string;
  /** Relative to the package (the copy folder prefix removed). */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Where the mutated code ends: two mutants may start at one place (e.g. `a && b` and `a`). */
  readonly end: { readonly line: number; readonly column: number };
  readonly mutator: string;
  readonly replacement: string;
  readonly status: MutantStatus;
  /** Names of the tests that killed it (oracle test IDs). */
  readonly killedBy: readonly string[];
  /** Why: for a kill, the new failures (run-verdict.ts's kill message). */
  readonly reason: string | null;
  readonly original: string;
  readonly mutated: string;
}

interface RawMutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  status: MutantStatus;
  statusReason?: string;
  killedBy?: string[];
  location: { start: { line: number; column: number }; end: { line: number; column: number } };
}

interface RawReport {
  files: Record<string, { source: string; mutants: RawMutant[] }>;
  testFiles?: Record<string, { tests: { id: string; name: string }[] }>;
}

function isRawReport(json: unknown): json is RawReport {
  return typeof json === 'object' && json !== null && typeof Reflect.get(json, 'files') === 'object';
}

/** The mutants of a Stryker JSON report; `copyPrefix` (e.g. `pkg/`) is removed from file names. */
export async function readStrykerReport(file: string, copyPrefix: string): Promise<ReportedMutant[]> {
  return (await readStrykerReportWithSources(file, copyPrefix)).mutants;
}

/**
 * The mutants of a Stryker JSON report and the source of each mutated file as
 * the report saw it (names as in `readStrykerReport`): a report's mutants
 * describe that code, and only while the file still reads the same.
 */
export async function readStrykerReportWithSources(file: string, copyPrefix: string): Promise<{ mutants: ReportedMutant[]; sources: Map<string, string> }> {
  const json = await readJsonFile(file, 'Stryker report', (message) => new MutationError(message));
  if (!isRawReport(json)) throw new MutationError(`${file} is not a Stryker JSON report`);
  const testNames = new Map<string, string>();
  for (const tf of Object.values(json.testFiles ?? {})) for (const t of tf.tests) testNames.set(t.id, t.name);
  const mutants: ReportedMutant[] = [];
  const sources = new Map<string, string>();
  for (const [name, { source, mutants: raw }] of Object.entries(json.files)) {
    const file = name.startsWith(copyPrefix) ? name.slice(copyPrefix.length) : name;
    sources.set(file, source);
    for (const m of raw) {
      const { original, mutated } = mutantLines(source, m);
      mutants.push({
        id: m.id,
        file,
        line: m.location.start.line,
        column: m.location.start.column,
        end: { line: m.location.end.line, column: m.location.end.column },
        mutator: m.mutatorName,
        replacement: m.replacement ?? '',
        status: m.status,
        killedBy: (m.killedBy ?? []).map((id) => testNames.get(id) ?? id),
        reason: m.statusReason ?? null,
        original,
        mutated,
      });
    }
  }
  mutants.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.mutator.localeCompare(b.mutator));
  return { mutants, sources };
}

/** The source lines a mutant touches, before and after (locations: 1-based lines, 1-based columns). */
export function mutantLines(source: string, m: Pick<RawMutant, 'location' | 'replacement'>): { original: string; mutated: string } {
  const lines = source.split('\n');
  const { start, end } = m.location;
  const first = start.line - 1;
  const last = end.line - 1;
  const original = lines.slice(first, last + 1).join('\n');
  const head = (lines[first] ?? '').slice(0, start.column - 1);
  const tail = (lines[last] ?? '').slice(end.column - 1);
  return { original, mutated: `${head}${m.replacement ?? ''}${tail}` };
}

/** A stable key for a mutant across runs of the same package version: where, which mutator, what replacement. */
export function mutantKey(m: Pick<ReportedMutant, 'file' | 'line' | 'column' | 'mutator' | 'replacement'>): string {
  return `${m.file}:${m.line}:${m.column} ${m.mutator} ${m.replacement}`;
}

/** Killed or timed out: the oracle noticed. */
export function isDetected(status: MutantStatus): boolean {
  return status === 'Killed' || status === 'Timeout';
}
