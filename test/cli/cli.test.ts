import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECK_IDS } from '../../src/checks/registry.ts';
import { cli } from './support/cli.ts';

/** The CLI as users run it: a separate process, exit codes and files on disk. */
let dir: string;


beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dpop-fuzz-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('usage errors exit 2 with a clear message and no stack trace', () => {
  it.each([
    [['frobnicate'], /unknown command "frobnicate"/],
    [['check', '--command', 'x', '--bogus'], /check: Unknown option '--bogus'/],
    [['check'], /exactly one of --command/],
    [['check', '--command', 'a', '--module', 'b'], /exactly one of --command/],
    [['check', '--command', 'x', '--preset', 'nope'], /unknown preset "nope"/],
    [['check', '--command', 'x', '--timeout', 'soon'], /--timeout must be an integer/],
    [['check', '--command', 'x', '--profile', 'oauth'], /--profile must be sep-1932 or rfc9449/],
    [['check', '--command', 'x', '--checks', 'sep-1932-client-nope'], /unknown check id/],
    [['help', 'nothing'], /no help for unknown command/],
    [['run', '--command', 'x', '--threads', '2'], /--threads is for --module clients/],
    [['run', '--module', 'x.ts', '--threads', '0'], /--threads must be/],
  ])('%j', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // Newline-terminated, so whatever is printed next starts on its own line.
    expect(r.stderr.endsWith('\n')).toBe(true);
  });

  it('rejects a corrupt schedule file, naming it', async () => {
    const file = path.join(dir, 'corrupt.json');
    await writeFile(file, '{"version": 1, "as": ');
    const r = await cli(['check', '--command', 'true', '--schedule', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`schedule ${file} is not valid JSON`);
  });

  it('rejects an invalid schedule, naming the field', async () => {
    const file = path.join(dir, 'invalid.json');
    await writeFile(file, JSON.stringify({ version: 1, as: { algs: [] }, mcp: {}, plan: [] }));
    const r = await cli(['check', '--command', 'true', '--schedule', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/as\.algs/);
  });
});

describe('infrastructure errors exit 2', () => {
  it('a client command that does not exist', async () => {
    const r = await cli(['check', '--command', 'definitely-not-a-command-xyz', '--out', path.join(dir, 'nf')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/client command not found: definitely-not-a-command-xyz\n$/);
  });

  it('a client that hangs without making a request is killed at the timeout', async () => {
    const started = Date.now();
    const r = await cli(['check', '--command', `${process.execPath} -e "setInterval(() => {}, 1000)"`, '--timeout', '800', '--out', path.join(dir, 'hang')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/made no HTTP request and timed out/);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});

describe('version and help, as every command-line tool has them', () => {
  it.each([['--version'], ['-V'], ['version']])('%s prints the package version', async (flag) => {
    const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
    const r = await cli([flag]);
    expect(r).toMatchObject({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it.each(['run', 'replay', 'check', 'list', 'presets', 'merge', 'baseline', 'mutate'])('%s -h and --help print its help (exit 0)', async (command) => {
    const help = await cli(['help', command]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(new RegExp(`^Usage: dpop-fuzz ${command}`, 'm'));
    for (const flag of ['-h', '--help']) {
      const r = await cli([command, flag]);
      expect(r).toMatchObject({ code: 0, stdout: help.stdout });
    }
  });
});

describe('help and catalogue', () => {
  it('prints help for check, naming every option', async () => {
    const r = await cli(['help', 'check']);
    expect(r.code).toBe(0);
    for (const flag of ['--command', '--module', '--preset', '--schedule', '--out', '--timeout', '--profile', '--checks', '--max-retries', '--json']) {
      expect(r.stdout).toContain(flag);
    }
  });

  it('lists every check id', async () => {
    const r = await cli(['list', '--json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { id: string }[]).map((c) => c.id)).toEqual(CHECK_IDS);
  });
});

describe('check', () => {
  it('passes the reference client (exit 0) and writes checks.json in the official format, trace and schedule', async () => {
    const out = path.join(dir, 'ref');
    const r = await cli(['check', '--command', `${process.execPath} bin/reference-client.js`, '--preset', 'dpop-nonce', '--out', out]);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/SUCCESS\s+sep-1932-client-rs-nonce/);
    const checks = JSON.parse(await readFile(path.join(out, 'checks.json'), 'utf8')) as { id: string; name: string; status: string; specReferences: unknown[]; timestamp: string }[];
    expect(checks.map((c) => c.id)).toEqual(CHECK_IDS);
    for (const c of checks) {
      expect(c.name).toMatch(/^Dpop/);
      expect(['SUCCESS', 'SKIPPED']).toContain(c.status);
      expect(c.specReferences.length).toBeGreaterThan(0);
      expect(Number.isNaN(Date.parse(c.timestamp))).toBe(false);
    }
    const trace = JSON.parse(await readFile(path.join(out, 'trace.json'), 'utf8')) as { entries: unknown[] };
    expect(trace.entries.length).toBeGreaterThan(5);
    const schedule = JSON.parse(await readFile(path.join(out, 'schedule.json'), 'utf8')) as { mcp: { initialNonce: string } };
    expect(schedule.mcp.initialNonce).toBe('rs-nonce-0');
  });

  it('fails a broken client (exit 1), naming the check, and replays its schedule file', async () => {
    const out = path.join(dir, 'broken');
    const command = `${process.execPath} bin/broken-client.js ignore-rs-nonce`;
    const r = await cli(['check', '--command', command, '--preset', 'rs-use-dpop-nonce', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAILURE\s+sep-1932-client-rs-nonce/);
    const replay = await cli(['check', '--command', command, '--schedule', path.join(out, 'schedule.json'), '--out', path.join(dir, 'replay'), '--checks', 'sep-1932-client-rs-nonce', '--json']);
    expect(replay.code).toBe(1);
    expect(JSON.parse(replay.stdout)).toMatchObject([{ id: 'sep-1932-client-rs-nonce', status: 'FAILURE' }]);
  });

  it('runs an in-process TypeScript module client', async () => {
    const r = await cli(['check', '--module', 'src/clients/reference.ts', '--preset', 'rs-nonce-rotation', '--out', path.join(dir, 'module')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/SUCCESS\s+sep-1932-client-newest-nonce/);
  });
});
