/**
 * `responseDelays`: each server holds the response to the n-th request (in
 * arrival order across both servers) for `responseDelays[n]` ms, so answers
 * to concurrent requests overtake each other. A closed world never waits.
 */
import { describe, expect, it } from 'vitest';
import { ResponseDelays } from '../../src/world/response-delays.ts';
import type { World } from '../../src/world/world.ts';
import { start } from './support/world-harness.ts';

/** Resolves once the world has recorded `count` requests (in flight or answered). */
async function recorded(w: World, count: number): Promise<void> {
  while (w.trace().entries.length < count) await new Promise((resolve) => setImmediate(resolve));
}

const asMetadata = (w: World): Promise<Response> => fetch(`${w.asOrigin}/.well-known/oauth-authorization-server`);
const prm = (w: World): Promise<Response> => fetch(`${new URL(w.mcpUrl).origin}/.well-known/oauth-protected-resource/mcp`);

describe('ResponseDelays', () => {
  it('hands out delays by arrival index, 0 past the end', () => {
    const delays = new ResponseDelays([5, 0, 7]);
    expect([delays.arrive(), delays.arrive(), delays.arrive(), delays.arrive()]).toEqual([5, 0, 7, 0]);
  });

  it('releases pending waits at close, and waits no more afterwards', async () => {
    const delays = new ResponseDelays([]);
    let released = false;
    const pending = delays.wait(3_600_000).then(() => (released = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(released).toBe(false);
    delays.close();
    await pending;
    expect(released).toBe(true);
    await delays.wait(3_600_000);
  });
});

describe('a world with response delays', () => {
  it('answers a later request first when the earlier one is held back (across both servers)', async () => {
    const { w } = await start({ responseDelays: [60_000] });
    const order: string[] = [];
    const first = asMetadata(w).then(
      (res) => order.push(`as ${res.status}`),
      () => order.push('as closed'),
    );
    await recorded(w, 1);
    const second = await prm(w);
    order.push(`mcp ${second.status}`);
    expect(order).toEqual(['mcp 200']);
    const trace = w.trace();
    // The held response is still in flight (status 0); the later one is done.
    expect(trace.entries.map((e) => [e.seq, e.server, e.status])).toEqual([
      [0, 'as', 0],
      [1, 'mcp', 200],
    ]);
    // Closing releases the held response at once instead of waiting a minute.
    const closing = Date.now();
    await w.close();
    await first;
    expect(Date.now() - closing).toBeLessThan(30_000);
    expect(order).toHaveLength(2);
  });

  it('holds a response for at least its delay and records respondedAt after it', async () => {
    const { w } = await start({ responseDelays: [0, 150] });
    await (await asMetadata(w)).body?.cancel();
    const before = Date.now();
    const res = await prm(w);
    await res.body?.cancel();
    expect(Date.now() - before).toBeGreaterThanOrEqual(145);
    const [, held] = w.trace().entries;
    expect(held!.respondedAt - held!.receivedAt).toBeGreaterThanOrEqual(145);
  });
});
