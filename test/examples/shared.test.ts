import { describe, expect, it } from 'vitest';
import { runClient as runOauth4webapi } from '../../examples/oauth4webapi/client.ts';
import { runClient as runOpenIdClient } from '../../examples/openid-client/client.ts';
import { runClient as runSdkV2 } from '../../examples/sdk-v2-client/client.ts';
import { describedError, type RunClient } from '../../examples/shared/contract.ts';
import { fetchWithSignal } from '../../examples/shared/fetch.ts';

/** What the example clients share (`examples/shared/`), and the contract every one of them keeps. */

describe('describedError', () => {
  const codeOf = (e: unknown): string | undefined => (e instanceof CodedError ? e.code : undefined);

  class CodedError extends Error {
    constructor(
      message: string,
      readonly code: string,
    ) {
      super(message);
    }
  }

  it('names the OAuth error code found on the error or a cause', () => {
    const wrapped = new Error('tools/list failed', { cause: new CodedError('server responded with an error', 'invalid_dpop_proof') });
    expect(describedError(wrapped, codeOf).message).toBe('invalid_dpop_proof: tools/list failed (server responded with an error)');
  });

  it('leaves a message that already says everything as it is, so applying it twice changes nothing', () => {
    const error = new CodedError('use_dpop_nonce: the server wants a nonce', 'use_dpop_nonce');
    expect(describedError(error, codeOf)).toBe(error);
    const once = describedError(new Error('outer', { cause: new CodedError('inner', 'invalid_grant') }), codeOf);
    expect(describedError(once, codeOf)).toBe(once);
  });

  it('describes a thrown non-error', () => {
    expect(describedError('boom', codeOf).message).toBe('boom');
  });
});

describe('fetchWithSignal', () => {
  it("adds the run's signal to every request, next to the request's own", async () => {
    const seen: (AbortSignal | null | undefined)[] = [];
    const base: typeof fetch = async (_input, init) => {
      seen.push(init?.signal);
      return new Response(null, { status: 204 });
    };
    const run = new AbortController();
    const own = new AbortController();
    const f = fetchWithSignal(base, run.signal);
    await f('http://127.0.0.1:1/a');
    await f('http://127.0.0.1:1/b', { signal: own.signal });
    own.abort();
    expect(seen[0]?.aborted).toBe(false);
    expect(seen[1]?.aborted).toBe(true);
    run.abort();
    expect(seen[0]?.aborted).toBe(true);
  });
});

const EXAMPLES: [string, RunClient][] = [
  ['sdk-v2-client', runSdkV2],
  ['openid-client', runOpenIdClient],
  ['oauth4webapi', runOauth4webapi],
];

describe('every example keeps the in-process contract', () => {
  it.for(EXAMPLES)('%s sends its requests through options.fetch and gives up when the signal fires', async ([, runClient]) => {
    const requests: string[] = [];
    // A server that never answers: only the abort ends the request.
    const hanging: typeof fetch = (input, init) => {
      requests.push(new Request(input, init).url);
      return new Promise((_resolve, reject) => {
        const signal = init?.signal;
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    };
    const controller = new AbortController();
    const run = runClient('http://127.0.0.1:1/mcp', { context: { steps: [['ping']] }, signal: controller.signal, log: () => {}, fetch: hanging });
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort(new DOMException('client timed out', 'TimeoutError'));
    await expect(run).rejects.toThrow();
    expect(requests).toEqual(['http://127.0.0.1:1/mcp']);
  });

  it.for(EXAMPLES)('%s fails with the plan error before any request when the plan is malformed', async ([, runClient]) => {
    const requests: string[] = [];
    const recording: typeof fetch = async (input, init) => {
      requests.push(new Request(input, init).url);
      return new Response(null, { status: 500 });
    };
    const run = runClient('http://127.0.0.1:1/mcp', { context: { steps: [['tools/delete']] }, signal: new AbortController().signal, log: () => {}, fetch: recording });
    await expect(run).rejects.toThrow(/unknown plan method "tools\/delete"/);
    expect(requests).toEqual([]);
  });
});
