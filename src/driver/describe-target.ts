import type { ClientTarget } from './types.ts';

/** How a client is named in messages: its command, module path or name. */
export function describeTarget(target: ClientTarget): string {
  return target.kind === 'command' ? target.command : target.kind === 'module' ? target.path : target.name;
}
