/**
 * The reference client in-process with faults switched on, for the
 * non-vacuity proof and the judge's golden traces; the catalogue of broken
 * clients itself lives in src/clients/broken-catalogue.ts.
 */
import { runClient } from '../../src/clients/reference.ts';
import type { FaultName } from '../../src/clients/faults.ts';
import type { ClientTarget } from '../../src/driver/types.ts';

export { BROKEN_CLIENTS } from '../../src/clients/broken-catalogue.ts';

/** The reference client in-process, with `faults` switched on (none: the reference client itself). */
export function referenceWithFaults(faults: readonly FaultName[]): ClientTarget {
  return {
    kind: 'function',
    name: faults.length === 0 ? 'reference' : `broken:${faults.join(',')}`,
    run: (url, options) => runClient(url, { context: options.context, signal: options.signal, log: options.log, faults: [...faults] }),
  };
}
