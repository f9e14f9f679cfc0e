import { readFile } from 'node:fs/promises';

/**
 * Reads and parses a JSON file. Failures become `makeError(message)` with a
 * message that names the file and says what it should have been (`what`,
 * e.g. "schedule"), never a stack trace.
 */
export async function readJsonFile(file: string, what: string, makeError: (message: string) => Error): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw makeError(`cannot read ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw makeError(`${what} ${file} is not valid JSON: ${(err as Error).message}`);
  }
}
