import type { ClientTarget } from '../driver/types.ts';
import type { FaultName } from './faults.ts';
import { DEFAULT_POLICY, formatPolicy } from './policy.ts';
import type { ClientPolicy } from './policy.ts';
import { runClient } from './reference.ts';
import type { TokenCache } from './token-cache.ts';

/**
 * The reference client, or a broken variant, as an in-process target, making
 * the legal choices of `policy`. It reaches the servers through the
 * in-memory fetch it is handed; its name is the equivalent command, so
 * reports and corpus entries replay as commands.
 */
export function referenceTarget(faults: readonly FaultName[] = [], policy: ClientPolicy = DEFAULT_POLICY, tokenCache?: TokenCache): ClientTarget {
  const spec = formatPolicy(policy);
  const flag = spec === '' ? '' : ` --policy ${spec}`;
  return {
    kind: 'function',
    name: faults.length === 0 ? `node bin/reference-client.js${flag}` : `node bin/broken-client.js ${faults.join(',')}${flag}`,
    run: (url, options) => runClient(url, { ...options, faults, policy, ...(tokenCache ? { tokenCache } : {}) }),
  };
}
