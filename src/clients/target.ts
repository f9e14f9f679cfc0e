import type { ClientTarget } from '../driver/types.ts';
import type { FaultName } from './faults.ts';
import { runClient } from './reference.ts';

/**
 * The reference client, or a broken variant, as an in-process target. It
 * reaches the servers through the in-memory fetch it is handed; its name is
 * the equivalent command, so reports and corpus entries replay as commands.
 */
export function referenceTarget(faults: readonly FaultName[] = []): ClientTarget {
  return {
    kind: 'function',
    name: faults.length === 0 ? 'node bin/reference-client.js' : `node bin/broken-client.js ${faults.join(',')}`,
    run: (url, options) => runClient(url, { ...options, faults }),
  };
}
