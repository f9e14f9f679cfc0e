/**
 * Running the tools: child processes with wall-clock timing, a bounded pool,
 * and cleanup of every process group still running on Ctrl-C.
 */
import { spawn } from 'node:child_process';

export interface ExecOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Hard limit: the whole process group is killed after this long. */
  readonly timeoutMs: number;
  /** Called with each chunk of output as it arrives (live progress), besides capturing it. */
  readonly onOutput?: (chunk: string) => void;
}

export interface ExecResult {
  /** null when the process ended by a signal (or was killed on timeout). */
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly wallMs: number;
  readonly timedOut: boolean;
  /** Set when the process could not be started at all (ENOENT, …). */
  readonly spawnError: string | null;
}

// The tail is what matters (verdict lines, the last error); this keeps a
// chatty client from filling memory.
const MAX_CAPTURE = 4 * 1024 * 1024;

/** Process groups started here and still running, killed on exit. */
const running = new Set<number>();

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    // Negative pid: the whole group, so the suite's client and dpop-fuzz's servers and clients go too.
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** Kills every process group this module started and has not seen end (SIGTERM unless told). */
export function killAll(signal: NodeJS.Signals = 'SIGTERM'): void {
  for (const pid of running) killGroup(pid, signal);
}

function capture(stream: NodeJS.ReadableStream | null, sink: { text: string }, onOutput?: (chunk: string) => void): void {
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    onOutput?.(chunk);
    sink.text += chunk;
    if (sink.text.length > MAX_CAPTURE) sink.text = sink.text.slice(-MAX_CAPTURE);
  });
}

/**
 * Runs `file args` in its own process group (so a timeout or Ctrl-C can stop
 * everything it started) and measures its wall-clock time. Never rejects.
 */
export function exec(file: string, args: readonly string[], options: ExecOptions): Promise<ExecResult> {
  const t0 = performance.now();
  const out = { text: '' };
  const err = { text: '' };
  return new Promise((resolve) => {
    const child = spawn(file, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const pid = child.pid;
    if (pid !== undefined) running.add(pid);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (pid !== undefined) killGroup(pid, 'SIGKILL');
    }, options.timeoutMs);
    capture(child.stdout, out, options.onOutput);
    capture(child.stderr, err, options.onOutput);
    const finish = (exitCode: number | null, spawnError: string | null) => {
      clearTimeout(timer);
      if (pid !== undefined) running.delete(pid);
      resolve({ exitCode, stdout: out.text, stderr: err.text, wallMs: Math.round(performance.now() - t0), timedOut, spawnError });
    };
    child.on('error', (e) => finish(null, e.message));
    child.on('close', (code) => finish(code, null));
  });
}

/**
 * Maps `fn` over `items` with at most `limit` calls in flight; results keep
 * the order of `items`. Each worker takes the next item when it is done, so
 * slow clients do not hold back a whole batch.
 */
export async function mapPool<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      const item = items[index] as T;
      results[index] = await fn(item, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
