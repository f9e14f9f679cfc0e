import { describe } from 'vitest';
import { itSurvivesDpopFuzzing } from 'mcp-dpop-fuzz/vitest';
import { runClient } from '../src/client.ts';

describe('DPoP (RFC 9449, MCP SEP-1932)', () => {
  // The hand-picked schedules, then 100 generated ones; a failure is shrunk and saved to .dpop-fuzz/.
  itSurvivesDpopFuzzing(runClient, { runs: 100, seed: 1932, module: 'src/client.ts' });
});
