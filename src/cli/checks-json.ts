import { checkDefinition, type CheckId } from '../checks/registry.ts';
import type { CheckResult } from '../checks/types.ts';

/** One entry of `checks.json`, in the official MCP conformance suite's format. */
export interface ConformanceCheck {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly status: CheckResult['status'];
  readonly timestamp: string;
  readonly specReferences: readonly { id: string; url: string }[];
  readonly errorMessage?: string;
  readonly details: { readonly message: string; readonly evidence: readonly number[]; readonly level: string };
}

export function toConformanceChecks(results: readonly CheckResult[], timestamp: string): ConformanceCheck[] {
  return results.map((r) => {
    const def = checkDefinition(r.id as CheckId);
    return {
      id: r.id,
      name: def.name,
      description: def.description,
      status: r.status,
      timestamp,
      specReferences: def.specReferences,
      ...(r.status === 'FAILURE' || r.status === 'WARNING' ? { errorMessage: r.message } : {}),
      details: { message: r.message, evidence: r.evidence, level: def.level },
    };
  });
}
