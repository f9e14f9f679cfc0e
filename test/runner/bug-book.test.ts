import { describe, expect, it } from 'vitest';
import { BugBook, onTarget, type SettledFailure } from '../../src/runner/bug-book.ts';
import { BASE_SCHEDULE, scheduleWith } from '../../src/schedule/defaults.ts';
import { failure } from '../report/fixtures.ts';

/** A settled counterexample failing `checkIds` (FAILUREs), with the given schedule. */
function settled(checkIds: string[], overrides: Partial<SettledFailure> = {}): SettledFailure {
  const { hits: _hits, ...rest } = failure({
    checkIds,
    results: checkIds.map((id) => ({ id, status: 'FAILURE' as const, message: 'x', evidence: [] })),
    ...overrides,
  });
  return rest;
}

describe('BugBook', () => {
  it('opens a bug for new checks and counts later runs that show it as hits, not new bugs', () => {
    const book = new BugBook();
    const first = book.sight(['a'], true);
    expect(first.kind).toBe('new');
    if (first.kind !== 'new') return;
    expect([...first.target.focus]).toEqual(['a']);
    // While it is being shrunk, the same set is not opened twice (another search found it too).
    expect(book.sight(['a'], true).kind).toBe('known');
    expect(book.shrinking).toBe(true);
    book.settle(first.ticket, settled(['a']));
    expect(book.shrinking).toBe(false);
    expect(book.sight(['a'], true).kind).toBe('known');
    expect(book.bugs().map((b) => [b.checkIds, b.hits])).toEqual([[['a'], 3]]);
  });

  it('shrinks a run only with respect to the checks no known bug explains', () => {
    const book = new BugBook();
    const a = book.sight(['a'], true);
    if (a.kind !== 'new') throw new Error('expected a new bug');
    book.settle(a.ticket, settled(['a']));
    const ab = book.sight(['a', 'b'], true);
    expect(ab.kind).toBe('new');
    if (ab.kind !== 'new') return;
    expect([...ab.target.focus]).toEqual(['b']);
    expect([...ab.target.allowed].sort()).toEqual(['a', 'b']);
  });

  it('does not let a check that co-occurs with a known bug hide behind it', () => {
    // {x, completes} is known; a run failing completes alone shows something else.
    const book = new BugBook();
    const xc = book.sight(['x', 'completes'], true);
    if (xc.kind !== 'new') throw new Error('expected a new bug');
    book.settle(xc.ticket, settled(['x', 'completes']));
    expect(book.sight(['completes'], true).kind).toBe('new');
  });

  it('frees the checks shrinking dropped, so a later run opens a bug for them', () => {
    const book = new BugBook();
    const ab = book.sight(['a', 'b'], true);
    if (ab.kind !== 'new') throw new Error('expected a new bug');
    // The minimal schedule fails only a.
    book.settle(ab.ticket, settled(['a']));
    const again = book.sight(['a', 'b'], true);
    expect(again.kind).toBe('new');
    if (again.kind === 'new') expect([...again.target.focus]).toEqual(['b']);
  });

  it('keeps one bug per check set, with the smaller schedule, and flaky ones apart', () => {
    const book = new BugBook();
    const one = book.sight(['a'], true);
    const two = book.sight(['a', 'c'], true);
    if (one.kind !== 'new' || two.kind !== 'new') throw new Error('expected new bugs');
    const big = scheduleWith({ mcp: { post: [{ kind: 'use-dpop-nonce', nonce: 'n1' }, { kind: 'use-dpop-nonce', nonce: 'n2' }] } });
    expect(book.settle(one.ticket, settled(['a'], { schedule: big }))).toBe(true);
    // Shrinking {a, c} ended on a smaller schedule failing a only: same bug, smaller schedule kept.
    expect(book.settle(two.ticket, settled(['a'], { schedule: BASE_SCHEDULE }))).toBe(true);
    expect(book.bugs()).toHaveLength(1);
    expect(book.bugs()[0]!.schedule).toEqual(BASE_SCHEDULE);
    const flaky = book.sight(['z'], true);
    if (flaky.kind !== 'new') throw new Error('expected a new bug');
    book.settle(flaky.ticket, settled(['z'], { verdict: 'flaky' }));
    expect(book.flaky().map((f) => f.checkIds)).toEqual([['z']]);
    expect(book.bugs()).toHaveLength(1);
  });

  it('orders bugs by severity, then by the run that found them', () => {
    const book = new BugBook();
    const w = book.sight(['w'], true);
    const f = book.sight(['f'], true);
    if (w.kind !== 'new' || f.kind !== 'new') throw new Error('expected new bugs');
    book.settle(w.ticket, settled(['w'], { foundAtRun: 1, results: [{ id: 'w', status: 'WARNING', message: 'x', evidence: [] }] }));
    book.settle(f.ticket, settled(['f'], { foundAtRun: 9 }));
    expect(book.bugs().map((b) => b.checkIds[0])).toEqual(['f', 'w']);
  });

  it('opens nothing when the bug limit allows no more', () => {
    const book = new BugBook();
    expect(book.sight(['a'], false).kind).toBe('known');
    expect(book.size).toBe(0);
  });

  it('keeps a shrink on its bug: one of the focus checks, nothing the original run did not fail', () => {
    const target = { focus: new Set(['b']), allowed: new Set(['a', 'b']) };
    expect(onTarget(['b'], target)).toBe(true);
    expect(onTarget(['a', 'b'], target)).toBe(true);
    expect(onTarget(['a'], target)).toBe(false);
    expect(onTarget(['b', 'c'], target)).toBe(false);
  });
});
