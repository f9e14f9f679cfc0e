import type { ClientOutcome } from '../trace/types.ts';
import { runInProcess, runModuleClient } from './module.ts';
import { checkRequest } from './request.ts';
import { runCommandClient } from './subprocess.ts';
import { DriverError } from './types.ts';
import type { DriverRequest } from './types.ts';

/**
 * Runs the client under test once against `req.serverUrl`: a command per the
 * MCP conformance client contract, or an in-process module. Rejects with
 * `DriverError` for infrastructure problems only.
 */
export function runClient(req: DriverRequest): Promise<ClientOutcome> {
  const target = req.target;
  switch (target.kind) {
    case 'command':
      return runCommandClient(req);
    case 'module':
      return runModuleClient(req);
    case 'function':
      checkRequest(req);
      return runInProcess(req, target.run);
    default: {
      const unknown: never = target;
      return Promise.reject(new DriverError(`unknown client target kind: ${JSON.stringify(unknown)}`));
    }
  }
}
