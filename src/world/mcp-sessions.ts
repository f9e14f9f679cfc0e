import { randomUUID } from 'node:crypto';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { z } from 'zod';

/**
 * One JSON Schema validator for every session: the SDK builds a new Ajv
 * instance per server otherwise, which costs more than the session's
 * requests. Ajv keeps compiled schemas, and this server compiles none (no
 * tool has an output schema, and it never elicits), so sharing holds no state.
 */
const SCHEMA_VALIDATOR = new AjvJsonSchemaValidator();

/**
 * A real MCP server (official SDK) that answers every method a plan may ask
 * for: `tools/list` and `tools/call` (tool `echo`, lenient about its
 * arguments), `ping`, `resources/list` and `prompts/list`. A client must never
 * fail for a reason that has nothing to do with DPoP, or a liveness verdict
 * could blame it for giving up.
 */
function buildMcpServer(): McpServer {
  const server = new McpServer({ name: 'dpop-fuzz-test-server', version: '1.0.0' }, { jsonSchemaValidator: SCHEMA_VALIDATOR });
  server.registerTool(
    'echo',
    { description: 'Echoes its message', inputSchema: { message: z.string().optional(), text: z.string().optional() } },
    async ({ message, text }) => ({ content: [{ type: 'text', text: message ?? text ?? '' }] }),
  );
  server.registerResource('readme', 'fuzz://readme', { description: 'A static text resource', mimeType: 'text/plain' }, async (uri) => ({
    contents: [{ uri: uri.href, text: 'mcp-dpop-fuzz test server' }],
  }));
  server.registerPrompt('greeting', { description: 'A static prompt' }, async () => ({
    messages: [{ role: 'user', content: { type: 'text', text: 'hello' } }],
  }));
  return server;
}

/**
 * Streamable HTTP sessions: one SDK transport and server per `Mcp-Session-Id`,
 * so POST, the GET SSE stream and DELETE all reach the SDK exactly as in a
 * production deployment.
 */
export class McpSessions {
  private readonly transports = new Map<string, WebStandardStreamableHTTPServerTransport>();
  private readonly servers: McpServer[] = [];

  /** Hands an authenticated request to the SDK. `parsedBody` is the already-read JSON body. */
  async handle(request: Request, parsedBody: unknown): Promise<Response> {
    const sessionId = request.headers.get('mcp-session-id');
    if (sessionId !== null) {
      const transport = this.transports.get(sessionId);
      if (!transport) {
        return Response.json({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null }, { status: 404 });
      }
      return transport.handleRequest(request, { parsedBody });
    }
    if (request.method !== 'POST') {
      return Response.json({ jsonrpc: '2.0', error: { code: -32000, message: 'Mcp-Session-Id header required' }, id: null }, { status: 400 });
    }
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        this.transports.set(id, transport);
      },
      onsessionclosed: (id) => {
        this.transports.delete(id);
      },
    });
    const server = buildMcpServer();
    this.servers.push(server);
    await server.connect(transport);
    return transport.handleRequest(request, { parsedBody });
  }

  /** Ends every session and its open SSE streams. */
  async close(): Promise<void> {
    await Promise.allSettled(this.servers.map((s) => s.close()));
    this.transports.clear();
  }
}
