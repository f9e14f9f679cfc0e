import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { Hono } from 'hono';

/** Largest request head Node accepts before answering 431 itself. */
export const MAX_HEADER_BYTES = 65_536;

export interface Listening {
  readonly origin: string;
  /** The app it serves, for in-memory dispatch (see `inMemoryFetch`). */
  readonly app: Hono;
  close(): Promise<void>;
}

/**
 * The path of the request target when `packet` starts with an HTTP/1.1
 * request line (RFC 9112 §3: method SP request-target SP HTTP-version), else
 * null. Node hands over only the chunk that failed to parse, which for an
 * oversized head is usually not the first one.
 */
export function requestPathOf(packet: Buffer | undefined): string | null {
  if (packet === undefined) return null;
  const line = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+ (\/[^ ?\r\n]*)[^ \r\n]* HTTP\/\d\.\d\r?\n/.exec(packet.subarray(0, 8192).toString('latin1'));
  return line?.[1] ?? null;
}

/**
 * Serves a Hono app on 127.0.0.1 on an ephemeral port. Requests Node refuses
 * before the app sees them (oversized or unparseable heads) are reported to
 * `onRefused`, with the request path when it can still be read, so they
 * still reach the trace.
 */
export async function listen(app: Hono, onRefused: (reason: string, requestPath: string | null) => void): Promise<Listening> {
  const server = createAdaptorServer({
    fetch: app.fetch,
    hostname: '127.0.0.1',
    serverOptions: { maxHeaderSize: MAX_HEADER_BYTES, requestTimeout: 30_000, headersTimeout: 10_000 },
  }) as Server;
  server.on('clientError', (err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket) => {
    onRefused(err.code ?? err.message, requestPathOf(err.rawPacket));
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
    app,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
