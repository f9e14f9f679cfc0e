/**
 * What the official MCP conformance suite said about a client, parsed: plain
 * data (the side-by-side comparison writes it to JSON).
 */

/** One check result the official suite printed (INFO lines are dropped). */
export interface OfficialCheck {
  readonly id: string;
  readonly status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'SKIPPED';
}

/**
 * PASS / FAIL: the suite's own `OVERALL` verdict. ERROR: the suite printed no
 * verdict (it crashed or could not start), so the run says nothing about the client.
 */
export type ScenarioVerdict = 'PASS' | 'FAIL' | 'ERROR';

/** What one `conformance client --scenario <s>` invocation said, parsed. */
export interface OfficialScenarioParse {
  readonly verdict: ScenarioVerdict;
  /** IDs of FAILURE checks, in the order printed, without repeats. */
  readonly failedChecks: readonly string[];
  /** IDs of WARNING checks: the suite fails a scenario on warnings too. */
  readonly warningChecks: readonly string[];
  /** The client's exit code when the suite reported it non-zero, else null. */
  readonly clientExitCode: number | null;
  readonly clientTimedOut: boolean;
  /**
   * When the client exited non-zero or timed out: the last line of its stderr
   * (its own error message), which tells a DPoP failure from one the scenario
   * never got to (e.g. an unrelated registration or tool error). Else null.
   */
  readonly clientError: string | null;
  /** `Passed: a/b` as printed, or null. */
  readonly passed: { readonly passed: number; readonly of: number } | null;
  /** Where the check list came from: the suite's checks.json (preferred) or its coloured text. */
  readonly source: 'checks.json' | 'text' | 'none';
  /** Why the verdict is ERROR (one line), else null. */
  readonly error: string | null;
}

export interface OfficialScenarioResult extends OfficialScenarioParse {
  readonly scenario: string;
  /** Exit status of the suite process (null: killed by a signal). */
  readonly exitCode: number | null;
  readonly wallMs: number;
}

export interface OfficialResult {
  readonly scenarios: readonly OfficialScenarioResult[];
  /** Sum over the scenarios: the suite runs them one after the other. */
  readonly wallMs: number;
}
