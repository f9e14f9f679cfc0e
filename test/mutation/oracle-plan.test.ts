import { describe, expect, it } from 'vitest';
import { clientLabel, oracleTests } from '../../src/mutation/oracle-plan.ts';
import { scheduleWith } from '../../src/schedule/defaults.ts';

const schedules = [
  { id: 'corpus/a.json', schedule: scheduleWith({}) },
  { id: 'generated/1932/0', schedule: scheduleWith({ as: { algs: null } }) },
];

describe('oracleTests', () => {
  it('keeps the schedule ids as they are for one client', () => {
    const tests = oracleTests([{ kind: 'module', path: '/x/client.ts' }], schedules);
    expect(tests.map((t) => [t.id, t.client])).toEqual([
      ['corpus/a.json', 0],
      ['generated/1932/0', 0],
    ]);
  });

  it('runs every client against every schedule, ids prefixed by a unique client label', () => {
    const tests = oracleTests(
      [
        { kind: 'module', path: '/x/client.ts' },
        { kind: 'module', path: '/y/client.ts' },
        { kind: 'command', command: 'node run.mjs' },
      ],
      schedules,
    );
    expect(tests.map((t) => t.id)).toEqual([
      'client#1: corpus/a.json',
      'client#1: generated/1932/0',
      'client#2: corpus/a.json',
      'client#2: generated/1932/0',
      'node run.mjs: corpus/a.json',
      'node run.mjs: generated/1932/0',
    ]);
    expect(tests.map((t) => t.client)).toEqual([0, 0, 1, 1, 2, 2]);
    expect(tests[3]!.schedule.as.algs).toBeNull();
  });

  it('labels a module by its file name', () => {
    expect(clientLabel({ kind: 'module', path: '/a/b/direct-client.ts' })).toBe('direct-client');
    expect(clientLabel({ kind: 'module', path: '/a/b/client.mjs' })).toBe('client');
  });
});
