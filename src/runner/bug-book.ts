import type { FailureReport } from '../report/types.ts';
import { scheduleEvents } from '../schedule/complexity.ts';

/** A counterexample as settled by the search, before its hit count is known. */
export type SettledFailure = Omit<FailureReport, 'hits'>;

/**
 * One distinct failure the search knows about. Its identity is the set of
 * checks its shrunk run fails; while it is being shrunk, the checks it was
 * opened for stand in (so concurrent searches do not shrink it twice).
 */
interface Entry {
  /** The focus while shrinking, then the checks of the shrunk run. */
  checks: ReadonlySet<string>;
  /** `bugKey` of the failed-check set that is this bug: the opening run's while shrinking, the shrunk run's after. */
  signature: string;
  settled: SettledFailure | null;
}

/** What a run's failed checks mean for the search. */
export type Sighting =
  /** The run shows known bugs only: counted against them, not shrunk again. */
  | { readonly kind: 'known' }
  /** A new combination: shrink it (see `BugTarget`). */
  | { readonly kind: 'new'; readonly target: BugTarget; readonly ticket: BugTicket };

/**
 * What shrinking a new failure must keep: the run fails one of `focus` (the
 * checks no known bug explains) and nothing outside `allowed` (the checks the
 * run failed), so the shrink cannot drift into another bug's schedule.
 */
export interface BugTarget {
  readonly focus: ReadonlySet<string>;
  readonly allowed: ReadonlySet<string>;
}

/** A bug being shrunk; handed back to `settle` when its counterexample is known. */
export interface BugTicket {
  readonly entry: Entry;
}

/** The identity of a bug: the checks its shrunk run fails. */
export function bugKey(checkIds: Iterable<string>): string {
  return [...new Set(checkIds)].sort().join(' ');
}

/** Whether a run's failed checks keep a shrink on its bug. */
export function onTarget(failed: readonly string[], target: BugTarget): boolean {
  return failed.some((id) => target.focus.has(id)) && failed.every((id) => target.allowed.has(id));
}

/** FAILURE before WARNING-only (a SHOULD check under `--fail-on warning`). */
function severity(failure: SettledFailure): number {
  return failure.results.some((r) => r.status === 'FAILURE') ? 0 : 1;
}

/**
 * The distinct bugs of one `fuzz` call, shared by its concurrent searches
 * (one JavaScript thread: no locking needed between awaits).
 *
 * A run that fails only checks of bugs it fully shows (all of a bug's checks
 * failed) is counted against them; a run failing any other check opens a bug,
 * shrunk with respect to those unexplained checks (and never into a run that
 * fails checks the original run did not). Every shrink explains at least one
 * new check, so each combination of checks is shrunk a bounded number of times.
 * Two counterexamples with the same set are one bug: the smaller schedule is
 * kept. A bug's hits are the exploration runs that failed all of its checks.
 */
export class BugBook {
  readonly #entries: Entry[] = [];
  /** Failed-check set → exploration runs that failed exactly that set. */
  readonly #runsBySet = new Map<string, { readonly checks: readonly string[]; runs: number }>();

  /** Bugs and flaky failures found or being shrunk. */
  get size(): number {
    return this.#entries.length;
  }

  /** True while some bug is being shrunk or confirmed. */
  get shrinking(): boolean {
    return this.#entries.some((e) => e.settled === null);
  }

  /**
   * Files a run that failed `failed` (distinct check IDs): counts it against
   * the bugs it shows, or, if it shows something new and `mayOpen` allows,
   * opens a bug for it.
   */
  sight(failed: readonly string[], mayOpen: boolean): Sighting {
    const key = bugKey(failed);
    const tally = this.#runsBySet.get(key);
    if (tally) tally.runs++;
    else this.#runsBySet.set(key, { checks: [...failed], runs: 1 });
    if (this.#entries.some((e) => e.signature === key)) return { kind: 'known' };
    // The bugs this run shows: all of a bug's checks failed.
    const shown = this.#entries.filter((e) => [...e.checks].every((id) => failed.includes(id)));
    const explained = new Set(shown.flatMap((e) => [...e.checks]));
    const focus = new Set(failed.filter((id) => !explained.has(id)));
    if (focus.size === 0 || !mayOpen) return { kind: 'known' };
    const entry: Entry = { checks: focus, signature: key, settled: null };
    this.#entries.push(entry);
    return { kind: 'new', target: { focus, allowed: new Set(failed) }, ticket: { entry } };
  }

  /**
   * Records the shrunk and replayed counterexample of a bug. Returns false when
   * it is a bug already settled with a schedule at least as small (the caller
   * then need not store it).
   */
  settle(ticket: BugTicket, failure: SettledFailure): boolean {
    const { entry } = ticket;
    const key = bugKey(failure.checkIds);
    const flaky = failure.verdict === 'flaky';
    const twin = this.#entries.find((e) => e !== entry && e.settled !== null && (e.settled.verdict === 'flaky') === flaky && bugKey(e.settled.checkIds) === key);
    if (twin?.settled) {
      this.#entries.splice(this.#entries.indexOf(entry), 1);
      if (scheduleEvents(twin.settled.schedule) <= scheduleEvents(failure.schedule)) return false;
      twin.settled = failure;
      return true;
    }
    // The opening run's set is not kept as this bug's: if shrinking dropped
    // some of its checks, the next run failing them opens a bug for those.
    entry.settled = failure;
    entry.checks = new Set(failure.checkIds);
    entry.signature = key;
    return true;
  }

  /** Updates a settled bug's stored record (e.g. where its counterexample was saved). */
  amend(before: SettledFailure, after: SettledFailure): void {
    const entry = this.#entries.find((e) => e.settled === before);
    if (entry) entry.settled = after;
  }

  /** Confirmed (or unconfirmed) bugs, most severe first, then in the order they were found. */
  bugs(): FailureReport[] {
    return this.#list((f) => f.verdict !== 'flaky');
  }

  /** Failures that did not reproduce on replay, reported apart. */
  flaky(): FailureReport[] {
    return this.#list((f) => f.verdict === 'flaky');
  }

  /** Exploration runs that failed every one of `checkIds` (and maybe more). */
  #hits(checkIds: readonly string[]): number {
    let runs = 0;
    for (const tally of this.#runsBySet.values()) if (checkIds.every((id) => tally.checks.includes(id))) runs += tally.runs;
    return runs;
  }

  #list(keep: (f: SettledFailure) => boolean): FailureReport[] {
    return this.#entries
      .flatMap((e) => (e.settled !== null && keep(e.settled) ? [{ ...e.settled, hits: this.#hits(e.settled.checkIds) }] : []))
      .sort((a, b) => severity(a) - severity(b) || a.foundAtRun - b.foundAtRun);
  }
}
