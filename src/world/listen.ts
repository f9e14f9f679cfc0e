import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { Hono } from 'hono';

/** Largest request head Node accepts before answering 431 itself. */
export const MAX_HEADER_BYTES = 65_536;

export interface Listening {
  readonly origin: string;
  close(): Promise<void>;
}

/**
 * Serves a Hono app on 127.0.0.1 on an ephemeral port. Requests Node refuses
 * before the app sees them (oversized or unparseable heads) are reported to
 * `onRefused` so they still reach the trace.
 */
export async function listen(app: Hono, onRefused: (reason: string) => void): Promise<Listening> {
  const server = createAdaptorServer({
    fetch: app.fetch,
    hostname: '127.0.0.1',
    serverOptions: { maxHeaderSize: MAX_HEADER_BYTES, requestTimeout: 30_000, headersTimeout: 10_000 },
  }) as Server;
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    onRefused(err.code ?? err.message);
    if (socket.writable) {
      const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
      socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    } else {
      socket.destroy();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
