import { stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ClientOutcome } from '../trace/types.ts';
import { CappedOutput } from './capped-output.ts';
import { MODULE_STOP_GRACE_MS, OUTPUT_CAP_BYTES } from './limits.ts';
import { checkRequest, clientContext, messageOf } from './request.ts';
import { stopRequest, type StopReason } from './stop-request.ts';
import { DriverError } from './types.ts';
import type { DriverRequest, ModuleClient } from './types.ts';
import { importModule } from './typescript-loader.ts';
import { within } from './within.ts';

type Settled = { ok: true } | { ok: false; error: unknown };

/**
 * Runs an in-process client: imports the module at `target.path` (relative to
 * the working directory; TypeScript through tsx) and calls its exported
 * `runClient(serverUrl, { context, signal, log })`. Resolved → exit code 0;
 * rejected → exit code 1 with the error message in stderr; log lines go to
 * stdout. On timeout or abort the client's signal is aborted and the outcome
 * is returned after a short grace whether or not the client honours it (an
 * in-process client cannot be killed). Throws `DriverError` when the module is
 * missing, fails to load or lacks `runClient`.
 */
export async function runModuleClient(req: DriverRequest): Promise<ClientOutcome> {
  checkRequest(req);
  if (req.target.kind !== 'module') throw new DriverError(`not a module client: ${req.target.kind}`);
  return runInProcess(req, await loadModuleClient(req.target.path));
}

/** Runs an already-loaded in-process client with the same rules as a module client. */
export async function runInProcess(req: DriverRequest, runClient: ModuleClient): Promise<ClientOutcome> {
  const startedAt = performance.now();
  if (req.signal?.aborted) {
    return { exitCode: null, signal: null, timedOut: false, stdout: '', stderr: '', durationMs: 0 };
  }

  const stdout = new CappedOutput(OUTPUT_CAP_BYTES);
  const stderr = new CappedOutput(OUTPUT_CAP_BYTES);
  let open = true;
  const log = (line: string): void => {
    // Lines logged after the run was reported would be lost anyway.
    if (open) stdout.push(`${String(line)}\n`);
  };
  const controller = new AbortController();
  const settled: Promise<Settled> = Promise.resolve()
    .then(() => runClient(req.serverUrl, { context: clientContext(req), signal: controller.signal, log, fetch: req.fetch ?? globalThis.fetch }))
    .then(
      (): Settled => ({ ok: true }),
      (error: unknown): Settled => ({ ok: false, error }),
    );

  const stop = stopRequest(req.timeoutMs, req.signal);
  const stopRequested = stop.requested;

  try {
    const first = await Promise.race([settled, stopRequested]);
    let exitCode: number | null;
    let stoppedBy: StopReason | null = null;
    let result: Settled | undefined;
    if (typeof first === 'string') {
      stoppedBy = first;
      controller.abort(
        first === 'timeout'
          ? new DOMException('client timed out', 'TimeoutError')
          : new DOMException('client run stopped', 'AbortError'),
      );
      result = await within(settled, MODULE_STOP_GRACE_MS);
      exitCode = null;
    } else {
      result = first;
      exitCode = first.ok ? 0 : 1;
    }
    if (result !== undefined && !result.ok) stderr.push(`${messageOf(result.error)}\n`);
    return {
      exitCode,
      signal: null,
      timedOut: stoppedBy === 'timeout',
      stdout: stdout.text(),
      stderr: stderr.text(),
      durationMs: Math.round(performance.now() - startedAt),
    };
  } finally {
    open = false;
    stop.dispose();
  }
}

/**
 * Loaded clients by resolved path. A module is evaluated once per process
 * anyway; looking it up again each run would still send the specifier through
 * the loader's hooks (a round trip to the hooks thread), which costs more CPU
 * than a fast client's whole run.
 */
const loadedClients = new Map<string, Promise<ModuleClient>>();

/** Imports the client module once and returns its `runClient`. Throws `DriverError`. */
function loadModuleClient(modulePath: string): Promise<ModuleClient> {
  const resolved = path.resolve(process.cwd(), modulePath);
  let loading = loadedClients.get(resolved);
  if (loading === undefined) {
    loading = importModuleClient(modulePath, resolved);
    loadedClients.set(resolved, loading);
    // A module that failed to load is tried again on the next run (it may have been fixed or created since).
    loading.catch(() => loadedClients.delete(resolved));
  }
  return loading;
}

async function importModuleClient(modulePath: string, resolved: string): Promise<ModuleClient> {
  try {
    const info = await stat(resolved);
    if (!info.isFile()) throw new DriverError(`client module is not a file: ${modulePath}`);
  } catch (error) {
    if (error instanceof DriverError) throw error;
    throw new DriverError(`client module not found: ${modulePath} (resolved to ${resolved})`, { cause: error });
  }
  let loaded: unknown;
  try {
    loaded = await importModule(pathToFileURL(resolved).href);
  } catch (error) {
    throw new DriverError(`client module failed to load: ${modulePath}: ${firstLine(messageOf(error))}`, {
      cause: error,
    });
  }
  const runClient = typeof loaded === 'object' && loaded !== null ? Reflect.get(loaded, 'runClient') : undefined;
  if (typeof runClient !== 'function') {
    throw new DriverError(
      `client module ${modulePath} does not export a function runClient(serverUrl, { context, signal, log })`,
    );
  }
  return runClient as ModuleClient;
}

function firstLine(text: string): string {
  return text.split(/\r?\n/, 1)[0] ?? '';
}
