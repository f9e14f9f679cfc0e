import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { inMemoryFetch } from '../../src/world/in-memory-fetch.ts';

describe('inMemoryFetch', () => {
  const app = new Hono();
  app.get('/slow', async (c) => {
    await new Promise((r) => setTimeout(r, 5_000).unref());
    return c.text('late');
  });
  app.get('/fast', (c) => c.text(`ok ${c.req.header('x-test') ?? ''}`));
  const fetchIt = inMemoryFetch(new Map([['http://127.0.0.1:9', app]]));

  it('hands requests for a known origin to its app', async () => {
    const response = await fetchIt('http://127.0.0.1:9/fast', { headers: { 'x-test': 'yes' } });
    expect(await response.text()).toBe('ok yes');
  });

  it('rejects at once when the caller aborts, even while the server holds the response', async () => {
    const abort = new AbortController();
    const pending = fetchIt('http://127.0.0.1:9/slow', { signal: abort.signal });
    abort.abort(new DOMException('stop', 'AbortError'));
    await expect(pending).rejects.toThrow('stop');
  });
});
