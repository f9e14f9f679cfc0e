import { readFile } from 'node:fs/promises';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { isCheckId } from '../checks/registry.ts';
import type { Profile } from '../checks/types.ts';
import { parseSchedule } from '../schedule/validate.ts';
import type { Schedule } from '../schedule/types.ts';

/**
 * The scenario name under which a baseline lists this tool's checks, one per
 * profile (a check can be a FAILURE under one and a WARNING under the other).
 * The official suite's client scenarios (`auth/dpop`, `auth/dpop-nonce`) may
 * share the file: their entries are left to the official runner.
 */
export function baselineScenario(profile: Profile): string {
  return profile === 'sep-1932' ? 'auth/dpop-fuzz' : 'auth/dpop-fuzz-rfc9449';
}

/** One line of the `client` list: `<scenario>` (the whole scenario may fail) or `<scenario>:<check-id>`. */
export interface BaselineEntry {
  readonly scenario: string;
  /** Null for a whole-scenario entry. */
  readonly checkId: string | null;
  /** The entry as written, for messages. */
  readonly text: string;
}

/** An expected-failures file: the official suite's format plus optional minimal schedules. */
export interface Baseline {
  readonly file: string;
  /** The `client` list (the `server` list is not ours and is ignored). */
  readonly entries: readonly BaselineEntry[];
  /**
   * `dpop-fuzz.schedules`: entry text → a (partial) schedule under which the
   * known bug shows. They run before any other schedule, so a known bug is
   * found again in every run and a fixed one is reliably reported as stale.
   */
  readonly schedules: ReadonlyMap<string, Schedule>;
  /**
   * `dpop-fuzz.intermittent`: entries of failures that depend on timing (a
   * race in the client) and show in some nights only. They excuse a failure
   * like any entry but are never called stale.
   */
  readonly intermittent: ReadonlySet<string>;
}

/** An expected-failures file that cannot be used; the message names the file and the entry. */
export class BaselineError extends Error {
  override readonly name = 'BaselineError';
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Same grammar as the official runner: the first colon splits scenario and check ID. */
function parseEntry(raw: unknown, file: string): BaselineEntry {
  const reject = (why: string): never => {
    throw new BaselineError(`expected-failures file ${file}: client entry ${JSON.stringify(raw)} is not '<scenario>' or '<scenario>:<check-id>'. ${why}`);
  };
  if (isRecord(raw)) {
    const [pair] = Object.entries(raw);
    return reject(pair && Object.keys(raw).length === 1 && typeof pair[1] === 'string' ? `Remove the space after the colon: '${pair[0]}:${pair[1]}'.` : 'A per-check entry takes no space after the colon.');
  }
  if (typeof raw !== 'string' || raw.trim() === '') return reject('This one is empty or not a string.');
  const text = raw.trim();
  const colon = text.indexOf(':');
  if (colon === -1) return { scenario: text, checkId: null, text };
  const scenario = text.slice(0, colon);
  const checkId = text.slice(colon + 1);
  if (!scenario || !checkId) return reject('Both sides of the colon are required.');
  return { scenario, checkId, text };
}

/** Entries of our scenarios must name checks of the catalogue: a typo would otherwise excuse nothing and go stale. */
function checkOurEntries(entries: readonly BaselineEntry[], file: string): void {
  const ours = new Set([baselineScenario('sep-1932'), baselineScenario('rfc9449')]);
  const wholesale = new Set(entries.filter((e) => e.checkId === null).map((e) => e.scenario));
  for (const e of entries) {
    if (e.checkId !== null && wholesale.has(e.scenario)) {
      throw new BaselineError(`expected-failures file ${file}: '${e.scenario}' expects the whole scenario to fail, so '${e.text}' is redundant; remove one or the other`);
    }
    if (ours.has(e.scenario) && e.checkId !== null && !isCheckId(e.checkId)) {
      throw new BaselineError(`expected-failures file ${file}: '${e.text}' names no check of the catalogue (see dpop-fuzz list)`);
    }
  }
}

/** The `dpop-fuzz` mapping: our extension of the official format (the official runner ignores it). */
function extension(raw: unknown, file: string): Readonly<Record<string, unknown>> {
  if (raw === undefined || raw === null) return {};
  if (!isRecord(raw)) throw new BaselineError(`expected-failures file ${file}: 'dpop-fuzz' must be a mapping ('schedules', 'intermittent')`);
  const unknownKey = Object.keys(raw).find((k) => k !== 'schedules' && k !== 'intermittent');
  if (unknownKey !== undefined) throw new BaselineError(`expected-failures file ${file}: unknown key 'dpop-fuzz.${unknownKey}' (only 'schedules' and 'intermittent')`);
  return raw;
}

function parseIntermittent(raw: unknown, entries: readonly BaselineEntry[], file: string): Set<string> {
  if (raw === undefined || raw === null) return new Set();
  if (!Array.isArray(raw) || raw.some((e) => typeof e !== 'string')) throw new BaselineError(`expected-failures file ${file}: 'dpop-fuzz.intermittent' must be a list of client entries`);
  const listed = new Set(entries.map((e) => e.text));
  const missing = (raw as string[]).find((e) => !listed.has(e));
  if (missing !== undefined) throw new BaselineError(`expected-failures file ${file}: 'dpop-fuzz.intermittent' names '${missing}', which the client list does not contain`);
  return new Set(raw as string[]);
}

function parseSchedules(schedules: unknown, entries: readonly BaselineEntry[], file: string): Map<string, Schedule> {
  const out = new Map<string, Schedule>();
  if (schedules === undefined || schedules === null) return out;
  if (!isRecord(schedules)) throw new BaselineError(`expected-failures file ${file}: 'dpop-fuzz.schedules' must map client entries to schedules`);
  const listed = new Set(entries.map((e) => e.text));
  for (const [entry, schedule] of Object.entries(schedules)) {
    if (!listed.has(entry)) throw new BaselineError(`expected-failures file ${file}: 'dpop-fuzz.schedules' has a schedule for '${entry}', which the client list does not contain`);
    try {
      out.set(entry, parseSchedule(schedule));
    } catch (err) {
      throw new BaselineError(`expected-failures file ${file}: schedule of '${entry}': ${(err as Error).message}`);
    }
  }
  return out;
}

/** Parses the text of an expected-failures YAML file (`file` is only used in messages). */
export function parseBaseline(text: string, file: string): Baseline {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    const where = err instanceof YAMLParseError && err.linePos ? ` (line ${err.linePos[0].line})` : '';
    throw new BaselineError(`expected-failures file ${file} is not valid YAML${where}: ${(err as Error).message.split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) return { file, entries: [], schedules: new Map(), intermittent: new Set() };
  if (!isRecord(doc)) throw new BaselineError(`expected-failures file ${file}: expected a mapping with 'client' (and/or 'server') lists`);
  const list = doc['client'];
  if (list !== undefined && list !== null && !Array.isArray(list)) throw new BaselineError(`expected-failures file ${file}: 'client' must be a list of '<scenario>' or '<scenario>:<check-id>' entries`);
  const entries = (Array.isArray(list) ? list : []).map((raw) => parseEntry(raw, file));
  checkOurEntries(entries, file);
  const ours = extension(doc['dpop-fuzz'], file);
  return { file, entries, schedules: parseSchedules(ours['schedules'], entries, file), intermittent: parseIntermittent(ours['intermittent'], entries, file) };
}

/** Reads and parses an expected-failures file; every problem is a `BaselineError` naming the file. */
export async function loadBaseline(file: string): Promise<Baseline> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new BaselineError(`cannot read expected-failures file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseBaseline(text, file);
}
