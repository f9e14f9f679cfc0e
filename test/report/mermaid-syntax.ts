/**
 * The statement shapes the diagram renderer may emit. Every label must be
 * inert characters or Mermaid entity codes (`#123;`), so nothing in it can
 * end a statement (`;`, `#`, newline) or become markup (`<`, `"`, `%%`).
 */
export const LABEL = String.raw`(?:[A-Za-z0-9 ._\-/=+?!@$*()\[\]',:~|^·…]|#\d+;)+`;

const SHAPES: readonly RegExp[] = [
  /^ {4}participant Client$/,
  /^ {4}participant AuthServer as Authorization server$/,
  /^ {4}participant McpServer as MCP server$/,
  /^ {4}participant OtherOrigin as Another origin$/,
  new RegExp(`^(?: {4}| {8})Client->>(?:AuthServer|McpServer|OtherOrigin): ${LABEL}$`),
  new RegExp(`^(?: {4}| {8})(?:AuthServer|McpServer|OtherOrigin)-->>Client: ${LABEL}$`),
  new RegExp(`^(?: {4}| {8})Note over Client,(?:AuthServer|McpServer|OtherOrigin): ${LABEL}$`),
  /^ {4}rect rgb\(255, 230, 230\)$/,
  /^ {4}end$/,
];

/** The lines that do not match any allowed shape, plus a note when `rect`/`end` do not pair up. */
export function syntaxViolations(diagram: string): string[] {
  const lines = diagram.split('\n');
  const bad: string[] = [];
  if (lines[0] !== 'sequenceDiagram') bad.push(`first line: ${lines[0]}`);
  let depth = 0;
  for (const line of lines.slice(1)) {
    if (!SHAPES.some((shape) => shape.test(line))) bad.push(line);
    if (line.trim().startsWith('rect ')) depth++;
    if (line.trim() === 'end') depth--;
    if (depth < 0 || depth > 1) bad.push(`unbalanced rect/end at: ${line}`);
  }
  if (depth !== 0) bad.push('unclosed rect');
  return bad;
}

/** Mermaid's own entity decoding: `#<decimal>;` back to the character. */
export function decodeEntities(label: string): string {
  return label.replace(/#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)));
}

/** Label of the arrow for entry `seq` (the request arrow). */
export function requestArrow(diagram: string, seq: number): string | undefined {
  return diagram.split('\n').find((l) => new RegExp(`Client->>\\w+: \\[${seq}\\] `).test(l));
}
