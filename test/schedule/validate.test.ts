import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_SCHEDULE, scheduleWith } from '../../src/schedule/defaults.ts';
import { PRESETS } from '../../src/schedule/presets.ts';
import { loadScheduleFile, parseSchedule, ScheduleError } from '../../src/schedule/validate.ts';

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe('parseSchedule', () => {
  it('accepts the base schedule and every preset, unchanged', () => {
    expect(parseSchedule(clone(BASE_SCHEDULE))).toEqual(BASE_SCHEDULE);
    for (const preset of Object.values(PRESETS)) expect(parseSchedule(clone(preset.schedule))).toEqual(preset.schedule);
  });

  it.each([
    ['a wrong version', { ...clone(BASE_SCHEDULE), version: 2 }, /version/],
    ['an unknown top-level field', { ...clone(BASE_SCHEDULE), extra: 1 }, /extra/],
    ['an unknown action', scheduleWith({ mcp: { post: [{ kind: 'explode' } as never] } }), /mcp\.post\[0\]/],
    ['a nonce with a space (not NQCHAR)', scheduleWith({ mcp: { post: [{ kind: 'use-dpop-nonce', nonce: 'a b' }] } }), /NQCHAR/],
    ['a nonce with a double quote', scheduleWith({ as: { initialNonce: 'a"b' } }), /NQCHAR/],
    ['an empty nonce', scheduleWith({ as: { tokenRequests: [{ kind: 'ok-new-nonce', nonce: '' }] } }), /NQCHAR/],
    ['a path without /', scheduleWith({ mcp: { path: 'mcp' } }), /mcp\.path/],
    ['a path with a query', scheduleWith({ as: { tokenPath: '/token?x=1' } }), /as\.tokenPath/],
    ['no algs', scheduleWith({ as: { algs: [] } }), /as\.algs/],
    ['a zero token lifetime', scheduleWith({ as: { tokenLifetime: 0 } }), /as\.tokenLifetime/],
    ['a transient status other than 429/503', scheduleWith({ mcp: { post: [{ kind: 'transient', status: 500 as 503 }] } }), /status/],
    ['an unknown plan method', scheduleWith({ plan: [['tools/destroy' as 'ping']] }), /plan\[0\]\[0\]/],
    ['an empty plan step', scheduleWith({ plan: [[]] }), /plan\[0\]/],
    ['the same path for token and MCP endpoints', scheduleWith({ as: { tokenPath: '/x' }, mcp: { path: '/x' } }), /must differ/],
    ['a nonce used twice', scheduleWith({ as: { initialNonce: 'n' }, mcp: { initialNonce: 'n' } }), /"n" is used twice/],
    ['a then-prefix that could repeat a listed nonce', scheduleWith({ mcp: { then: { kind: 'use-dpop-nonce', noncePrefix: 'n' }, post: [{ kind: 'use-dpop-nonce', nonce: 'n0' }] } }), /noncePrefix "n"/],
    ['not an object at all', 'schedule', /invalid schedule/],
    ['a plan of more than 100 calls', scheduleWith({ plan: Array.from({ length: 11 }, () => Array(10).fill('ping')) }), /110 calls; at most 100/],
  ])('rejects %s with a message naming it', (_name, input, message) => {
    expect(() => parseSchedule(input)).toThrow(ScheduleError);
    expect(() => parseSchedule(input)).toThrow(message);
  });

  it('accepts nonces over the whole NQCHAR set', () => {
    const all = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i)).filter((c) => c !== '"' && c !== '\\').join('');
    expect(parseSchedule(scheduleWith({ mcp: { initialNonce: all } })).mcp.initialNonce).toBe(all);
  });
});

describe('loadScheduleFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'dpop-fuzz-schedule-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('names the file when it is missing, not JSON, or invalid', async () => {
    await expect(loadScheduleFile(path.join(dir, 'missing.json'))).rejects.toThrow(/cannot read schedule .*missing\.json: ENOENT/);
    const broken = path.join(dir, 'broken.json');
    await writeFile(broken, '{ nope');
    await expect(loadScheduleFile(broken)).rejects.toThrow(/broken\.json is not valid JSON/);
    const invalid = path.join(dir, 'invalid.json');
    await writeFile(invalid, JSON.stringify({ version: 1 }));
    await expect(loadScheduleFile(invalid)).rejects.toThrow(/invalid\.json: invalid schedule/);
  });

  it('reads a schedule stored inside a report or corpus file', async () => {
    const file = path.join(dir, 'report.json');
    await writeFile(file, JSON.stringify({ check: 'sep-1932-client-rs-nonce', schedule: PRESETS['rs-use-dpop-nonce'].schedule }));
    expect(await loadScheduleFile(file)).toEqual(PRESETS['rs-use-dpop-nonce'].schedule);
  });
});
