/**
 * Data shapes of the side-by-side comparison (scripts/side-by-side.ts): what
 * each tool found for each client. They are also the schema of
 * reports/side-by-side.json, so they hold plain data only.
 */

import type { OfficialResult } from '../../src/official/types.ts';

export type { OfficialCheck, OfficialResult, OfficialScenarioParse, OfficialScenarioResult, ScenarioVerdict } from '../../src/official/types.ts';

/** reference: conformant; broken: one deliberate fault; library: an examples/<name>/run.mjs target. */
export type ClientKind = 'reference' | 'broken' | 'library';

export interface ClientSpec {
  /** Short unique name used in the table and by the CLIENTS filter, e.g. `broken/ath-hex`. */
  readonly name: string;
  readonly kind: ClientKind;
  /** Shell command; both tools append the MCP server URL as the last argument. */
  readonly command: string;
}

/** One distinct failure dpop-fuzz reported: its identity is its set of failed check IDs. */
export interface FuzzBug {
  readonly checkIds: readonly string[];
  /** 'bug' (reproduced on replay), 'flaky' or 'unconfirmed', as in report.json. */
  readonly verdict: string;
  readonly foundAtRun: number | null;
  /** Runs that hit this bug, when the report says (newer dpop-fuzz versions). */
  readonly hits: number | null;
}

/** What one `dpop-fuzz run` said, parsed from its exit status and report.json. */
export interface FuzzParse {
  readonly bugs: readonly FuzzBug[];
  readonly flaky: readonly FuzzBug[];
  /** Generated runs, and runs spent shrinking and replaying. */
  readonly runs: number;
  readonly shrinkRuns: number;
  readonly stoppedBy: string;
  /** Runs whose client never reached the servers. */
  readonly crashedRuns: number;
  /** Why no usable report came back (one line), else null. */
  readonly error: string | null;
}

export interface FuzzResult extends FuzzParse {
  readonly exitCode: number | null;
  readonly wallMs: number;
}

export interface ClientResult {
  readonly client: ClientSpec;
  /** null when SKIP_OFFICIAL=1. */
  readonly official: OfficialResult | null;
  readonly fuzz: FuzzResult;
}

/** Everything the header of the table names. */
export interface RunMeta {
  /** When the comparison started (ISO 8601). */
  readonly date: string;
  readonly cores: number;
  readonly cpuModel: string;
  readonly platform: string;
  /** e.g. `@modelcontextprotocol/conformance@0.2.0-alpha.12`, or null when skipped. */
  readonly officialPackage: string | null;
  readonly officialNode: string | null;
  readonly scenarios: readonly string[];
  readonly fuzzVersion: string;
  readonly fuzzNode: string;
  readonly seed: number;
  readonly runs: number;
  /** Hand-picked corpus schedules tried first by dpop-fuzz (0: `--no-corpus`). */
  readonly corpusSchedules: number;
  readonly fuzzFlags: string;
  readonly concurrency: number;
  readonly clientsFilter: readonly string[] | null;
  /** 1-minute load average when the comparison started and when it ended: other work on the machine slows both tools. */
  readonly loadAverage: readonly [number, number];
  readonly totalWallMs: number;
}

export interface SideBySideReport {
  readonly meta: RunMeta;
  readonly clients: readonly ClientResult[];
}
