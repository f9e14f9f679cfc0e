import path from 'node:path';
import { counterexampleEntry } from '../corpus/entry.ts';
import { loadCorpusFile, saveCorpusEntry } from '../corpus/store.ts';
import { describeTarget } from '../driver/describe-target.ts';
import { quoteShellArg } from '../driver/shell-quote.ts';
import { scheduleDiff } from '../report/schedule-diff.ts';
import type { FailureReport, FuzzReport } from '../report/types.ts';
import type { ClientTarget } from '../driver/types.ts';
import { clientTarget, targetFlags, type DpopClient } from './client.ts';
import { counterexampleText } from './counterexample-text.ts';
import { fuzz, type FuzzClientOptions } from './fuzz.ts';

/** Default generated schedules per test: a few seconds for an in-process client. */
export const DEFAULT_TEST_RUNS = 100;
/** Where counterexamples are saved by default, relative to the working directory. */
export const DEFAULT_COUNTEREXAMPLE_DIR = '.dpop-fuzz';

export interface SurviveOptions extends Omit<FuzzClientOptions, 'onCounterexample' | 'onFound' | 'onStart'> {
  /** Where each confirmed counterexample is saved as a corpus file (default `.dpop-fuzz`); false: nowhere. */
  readonly saveTo?: string | false;
  /**
   * The module that exports the client as `runClient`, when the client is
   * given as a function: the failure message then carries a
   * `npx dpop-fuzz replay … --module …` command.
   */
  readonly module?: string;
  /** A saved counterexample (corpus file): run only its schedule, not the hand-picked or generated ones. */
  readonly replay?: string;
}

/** Thrown when the client fails: its message is the whole counterexample report. */
export class DpopFuzzFailure extends Error {
  override readonly name = 'DpopFuzzFailure';
  // Private, so that test runners print the message and not a dump of the whole report.
  readonly #report: FuzzReport;

  constructor(report: FuzzReport, message: string) {
    super(message);
    this.#report = report;
  }

  /** The whole fuzzing report, as `fuzz` returned it. */
  get report(): FuzzReport {
    return this.#report;
  }
}

/** Runs whose client never made an HTTP request while other runs worked, and the first of their schedules. */
function crashText(report: FuzzReport): string {
  const first = report.crashes.schedules[0];
  return [
    `${report.crashes.runs} run(s) ended before the client's first HTTP request while others worked: check how it handles the MCP URL it is given.`,
    ...(first ? [`  first such schedule (what differs from the default): ${JSON.stringify(scheduleDiff(first))}`] : []),
  ].join('\n');
}

/** The client flags of the replay command line, when the client can be named on one. */
function replayFlags(target: ClientTarget, module: string | undefined): string | null {
  if (target.kind !== 'function') return targetFlags(target);
  return module === undefined ? null : `--module ${quoteShellArg(module)}`;
}

/**
 * Fuzzes the client and resolves to the report when it passed; rejects with
 * a `DpopFuzzFailure` whose message carries every bug's shrunk schedule,
 * failed checks with evidence, and replay command. Works under any test
 * runner; `itSurvivesDpopFuzzing` (`mcp-dpop-fuzz/vitest`) wraps it in a test.
 */
export async function assertSurvivesDpopFuzzing(client: DpopClient, options: SurviveOptions = {}): Promise<FuzzReport> {
  const { saveTo = DEFAULT_COUNTEREXAMPLE_DIR, module, replay, ...fuzzOptions } = options;
  const target = clientTarget(client);
  const flags = replayFlags(target, module);
  const name = fuzzOptions.clientName ?? describeTarget(target);
  const replaying = replay === undefined ? {} : { runs: 0, handPicked: false, corpus: [], examples: [(await loadCorpusFile(replay)).schedule] };
  let workers = 0;
  const report = await fuzz(client, {
    runs: DEFAULT_TEST_RUNS,
    ...fuzzOptions,
    ...replaying,
    onStart: (plan) => {
      workers = plan.workers;
    },
    onCounterexample: async (failure) => {
      const corpusFile = saveTo === false || failure.verdict !== 'bug' ? null : await saveCorpusEntry(saveTo, counterexampleEntry(name, name, failure));
      const replayCommand = corpusFile !== null && flags !== null ? `npx dpop-fuzz replay ${quoteShellArg(corpusFile)} ${flags}` : '';
      return { corpusFile, replayCommand };
    },
  });
  // A run that never reached the servers was never judged: a pass would not cover its schedule.
  const crashed = report.crashes.runs > 0 ? [crashText(report)] : [];
  if (report.failures.length === 0 && report.flaky.length === 0 && crashed.length === 0) return report;
  const hint = (failure: FailureReport): string[] => {
    // The same seed gives the same schedules only with the same number of searches.
    if (failure.corpusFile === null) return [`run again with { seed: ${report.seed}, workers: ${workers} } to see it again`];
    // Relative to the working directory when it is inside it: shorter, and what the user typed.
    const relative = path.relative(process.cwd(), failure.corpusFile);
    const file = relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? failure.corpusFile : relative;
    return [
      `saved: ${file}`,
      ...(failure.replayCommand ? [`replay: ${failure.replayCommand}`] : []),
      `replay in this suite: { replay: ${JSON.stringify(file)} }`,
    ];
  };
  const found = report.failures.length + report.flaky.length > 0 ? [counterexampleText(report, hint)] : [`${report.client.name} failed DPoP fuzzing: ${report.runs} runs (seed ${report.seed})`];
  throw new DpopFuzzFailure(report, [...found, ...crashed].join('\n\n'));
}
