import type { Schedule } from '../../schedule/types.ts';
import type { Trace, TraceEntry } from '../../trace/types.ts';

/**
 * RFC 9728 §2 `dpop_bound_access_tokens_required`: the metadata response (a
 * 200 from the protected resource metadata endpoint, first by arrival) that
 * had been answered when `entry` arrived, where the schedule's resource
 * requires DPoP-bound tokens. From then on the client provably knew the
 * requirement; undefined before, or where nothing is required.
 */
export function bindingRequirementRead(trace: Trace, schedule: Schedule, entry: TraceEntry): TraceEntry | undefined {
  if (schedule.mcp.boundTokensRequired !== true) return undefined;
  return trace.entries.find((m) => m.endpoint === 'prm' && m.status === 200 && m.respondedAt <= entry.receivedAt);
}
