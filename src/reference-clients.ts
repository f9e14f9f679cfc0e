/**
 * `mcp-dpop-fuzz/clients`: the fuzzer's own in-process MCP clients, to check
 * a harness before pointing it at your client: the reference client passes
 * every schedule, and each fault breaks exactly one RFC 9449 / SEP-1932 rule.
 */
import type { ModuleClient } from './driver/types.ts';
import { FAULTS, FAULT_NAMES, isFaultName, type FaultName } from './clients/faults.ts';
import { runClient } from './clients/reference.ts';

export { FAULTS, FAULT_NAMES, type FaultName };

/** The reference client: a conformant SEP-1932 DPoP client built on the official MCP SDK. */
export const referenceClient: ModuleClient = function referenceClient(serverUrl, options) {
  return runClient(serverUrl, options);
};

/** The reference client with deliberate faults switched on (see `FAULTS`). */
export function faultyClient(...faults: FaultName[]): ModuleClient {
  const unknown = faults.filter((f) => !isFaultName(f));
  if (unknown.length > 0 || faults.length === 0) throw new RangeError(`unknown fault(s): ${unknown.join(', ') || '(none given)'}; known: ${FAULT_NAMES.join(', ')}`);
  const client: ModuleClient = (serverUrl, options) => runClient(serverUrl, { ...options, faults });
  Object.defineProperty(client, 'name', { value: `reference client with ${faults.join(', ')}` });
  return client;
}
