import { afterEach } from 'vitest';
import { runClient } from '../../../src/clients/reference.ts';
import type { RunClientOptions } from '../../../src/clients/reference.ts';
import { startMiniWorld } from './mini-world.ts';
import type { MiniWorld, MiniWorldOptions } from './mini-world.ts';

export interface RunResult {
  readonly world: MiniWorld;
  /** What runClient rejected with, or null when it resolved. */
  readonly error: Error | null;
  readonly log: readonly string[];
}

const running: MiniWorld[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((world) => world.stop()));
});

/** Starts a mini world, runs the client against it to the end, and returns both. */
export async function runAgainst(
  worldOptions: MiniWorldOptions = {},
  clientOptions: RunClientOptions & { readonly query?: string } = {},
): Promise<RunResult> {
  const world = await startMiniWorld(worldOptions);
  running.push(world);
  const log: string[] = [];
  let error: Error | null = null;
  const url = clientOptions.query !== undefined ? `${world.mcpUrl}?${clientOptions.query}` : world.mcpUrl;
  try {
    await runClient(url, { log: (line) => log.push(line), ...clientOptions });
  } catch (e) {
    error = e instanceof Error ? e : new Error(String(e));
  }
  return { world, error, log };
}
