/**
 * A process-wide list of things to undo before the process goes away (running
 * client processes, mainly). Nothing is installed at import time: the CLI
 * calls `installSignalHandlers()` once.
 */

type Cleanup = () => Promise<void> | void;

const cleanups = new Set<Cleanup>();

/** Default bound on the cleanups run for SIGINT/SIGTERM. */
const SIGNAL_CLEANUP_BOUND_MS = 5000;

/** Shell convention: 128 + signal number (SIGINT 2, SIGTERM 15). */
const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/** Registers `fn` to run on shutdown. Returns a function that unregisters it. */
export function onCleanup(fn: Cleanup): () => void {
  // A fresh wrapper per registration, so registering the same function twice
  // yields two independent entries.
  const entry: Cleanup = () => fn();
  cleanups.add(entry);
  return () => {
    cleanups.delete(entry);
  };
}

/**
 * Runs every registered cleanup once, concurrently, and unregisters them.
 * A cleanup that throws or rejects does not stop the others.
 */
export async function runCleanups(): Promise<void> {
  const pending = [...cleanups];
  cleanups.clear();
  await Promise.allSettled(pending.map(async (fn) => fn()));
}

let installed = false;
let shuttingDown = false;

/**
 * On SIGINT/SIGTERM: run the cleanups (for at most `boundMs`, default 5 s),
 * then exit with 130/143. A second signal while that runs exits at once; the
 * 'exit' hooks (see process-group.ts) still SIGKILL running clients. Calling
 * it again does nothing.
 */
export function installSignalHandlers(options: { boundMs?: number } = {}): void {
  if (installed) return;
  installed = true;
  const boundMs = options.boundMs ?? SIGNAL_CLEANUP_BOUND_MS;
  const handle = (signal: keyof typeof EXIT_CODES): void => {
    const code = EXIT_CODES[signal];
    if (shuttingDown) process.exit(code);
    shuttingDown = true;
    process.stderr.write(`dpop-fuzz: ${signal} received, stopping the client and the servers\n`);
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, boundMs);
    });
    void Promise.race([runCleanups(), bound]).finally(() => {
      clearTimeout(timer);
      process.exit(code);
    });
  };
  process.on('SIGINT', () => handle('SIGINT'));
  process.on('SIGTERM', () => handle('SIGTERM'));
}
