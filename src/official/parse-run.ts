/**
 * Parsing what the official MCP conformance suite
 * (`conformance client --scenario … -o <dir>`) leaves behind: its console
 * text and the checks.json it writes into the output directory. Pure
 * functions, unit-tested against the output of real runs.
 *
 * The suite's verdict (exit status and `OVERALL: PASSED|FAILED`) is failed
 * checks OR warnings OR a client that exited non-zero OR timed out, so a FAIL
 * may carry no failed check at all; the client exit is kept to explain it.
 */
import { z } from 'zod';
import type { OfficialCheck, OfficialScenarioParse } from './types.ts';

// CSI sequences (colours, cursor moves); the suite colours statuses and timestamps.
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

/** The text without ANSI escape sequences and with \n line ends. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '').replace(/\r\n?/g, '\n');
}

const STATUSES = ['SUCCESS', 'FAILURE', 'WARNING', 'SKIPPED'] as const;

const checksJsonSchema = z.array(
  z.looseObject({
    id: z.string(),
    status: z.string(),
  }),
);

/** Keeps the statuses that judge the client (INFO entries are request logs). */
function judged(entries: readonly { id: string; status: string }[]): OfficialCheck[] {
  const checks: OfficialCheck[] = [];
  for (const { id, status } of entries) {
    const known = STATUSES.find((s) => s === status);
    if (known) checks.push({ id, status: known });
  }
  return checks;
}

/** The judged checks of a checks.json document, or null when it is not one. */
export function parseChecksJson(json: unknown): OfficialCheck[] | null {
  const parsed = checksJsonSchema.safeParse(json);
  return parsed.success ? judged(parsed.data) : null;
}

// `<timestamp> [<id padded>] <STATUS padded> <description>`
const CHECK_LINE = /\[\s*([^\]\s]+)\s*\]\s+(SUCCESS|FAILURE|WARNING|SKIPPED|INFO)\b/;

/** The judged checks printed in the `Checks:` list of the (ANSI-stripped) text. */
export function parseCheckLines(text: string): OfficialCheck[] {
  const entries: { id: string; status: string }[] = [];
  for (const line of text.split('\n')) {
    const match = CHECK_LINE.exec(line);
    if (match?.[1] && match[2]) entries.push({ id: match[1], status: match[2] });
  }
  return judged(entries);
}

/** `PASSED` / `FAILED` from the `OVERALL:` line, or null when the suite printed none. */
export function parseOverall(text: string): 'PASSED' | 'FAILED' | null {
  const match = /OVERALL:\s*(PASSED|FAILED)\b/.exec(text);
  return match?.[1] === 'PASSED' || match?.[1] === 'FAILED' ? match[1] : null;
}

/** `Passed: 13/14, …` as numbers, or null. */
export function parsePassed(text: string): { passed: number; of: number } | null {
  const match = /^Passed:\s*(\d+)\/(\d+)/m.exec(text);
  return match?.[1] && match[2] ? { passed: Number(match[1]), of: Number(match[2]) } : null;
}

/** The exit code the suite reported for the client (only printed when non-zero). */
export function parseClientExit(text: string): number | null {
  const match = /CLIENT EXITED WITH ERROR \(code (-?\d+)\)/.exec(text) ?? /^Client exited with code (-?\d+)/m.exec(text);
  return match?.[1] ? Number(match[1]) : null;
}

/** Last line that says something: npm's engine warnings and blank lines are noise. */
export function lastMeaningfulLine(text: string): string | null {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^npm (warn|notice)/i.test(l) && l !== '}');
  return lines.at(-1) ?? null;
}

/**
 * The client's stderr as the suite echoes it after `Client exited with code N`
 * (a `Stderr:` block ending where the suite's own output resumes), or null.
 */
export function clientStderrSection(text: string): string | null {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l === 'Stderr:');
  if (start < 0) return null;
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((l) => /^(Results saved to |Checks:|Client timed out after )/.test(l));
  return (end < 0 ? rest : rest.slice(0, end)).join('\n');
}

const MAX_CLIENT_ERROR = 200;

/** The client's last stderr line, shortened, when the suite says the client failed. */
function clientError(text: string, clientStderr: string | null, failed: boolean): string | null {
  if (!failed) return null;
  const line = lastMeaningfulLine(stripAnsi(clientStderr ?? clientStderrSection(text) ?? ''));
  if (line === null) return null;
  return line.length > MAX_CLIENT_ERROR ? `${line.slice(0, MAX_CLIENT_ERROR - 1)}…` : line;
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

export interface OfficialRunOutput {
  /** stdout and stderr of the suite, as printed (colours included). */
  readonly text: string;
  readonly exitCode: number | null;
  /** Parsed content of the checks.json the suite wrote, or null when there is none. */
  readonly checksJson: unknown;
  /** The stderr.txt the suite wrote next to checks.json (the client's stderr), or null. */
  readonly clientStderr: string | null;
}

/**
 * The verdict of one scenario run. The verdict is the suite's own `OVERALL`
 * line; the check IDs come from checks.json when it is readable (exact IDs,
 * no column-padding ambiguity), else from the text.
 */
export function parseOfficialRun(run: OfficialRunOutput): OfficialScenarioParse {
  const text = stripAnsi(run.text);
  const fromJson = run.checksJson === null ? null : parseChecksJson(run.checksJson);
  const fromText = parseCheckLines(text);
  const checks = fromJson ?? fromText;
  const source = fromJson ? 'checks.json' : fromText.length > 0 ? 'text' : 'none';
  const overall = parseOverall(text);
  const clientExitCode = parseClientExit(text);
  const clientTimedOut = /CLIENT TIMED OUT|Client timed out after/.test(text);
  const base = {
    failedChecks: unique(checks.filter((c) => c.status === 'FAILURE').map((c) => c.id)),
    warningChecks: unique(checks.filter((c) => c.status === 'WARNING').map((c) => c.id)),
    clientExitCode,
    clientTimedOut,
    clientError: clientError(text, run.clientStderr, clientExitCode !== null || clientTimedOut),
    passed: parsePassed(text),
    source,
  } as const;
  if (overall === null) {
    const why = lastMeaningfulLine(text) ?? 'no output';
    return { ...base, verdict: 'ERROR', error: `suite printed no verdict (exit ${run.exitCode ?? 'signal'}): ${why}` };
  }
  return { ...base, verdict: overall === 'PASSED' ? 'PASS' : 'FAIL', error: null };
}
