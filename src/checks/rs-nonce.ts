import { judgeNonceRetries } from './_internals/nonce-retry.ts';
import type { CheckFn } from './types.ts';

/** RFC 9449 §9: retry the MCP request with the MCP server's nonce. */
export const rsNonce: CheckFn = ({ trace }) => judgeNonceRetries(trace, 'mcp', 'sep-1932-client-rs-nonce');
