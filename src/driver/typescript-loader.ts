/**
 * Loads a client module written in TypeScript. The installed package is
 * JavaScript and starts without a TypeScript loader (fast start-up); the
 * first module Node cannot load for its extension registers tsx, once, and
 * is imported again (under a new URL: Node caches the failed import). Under a loader already (the sources run through tsx,
 * vitest, a Node that strips types), the first import simply works.
 */
let registering: Promise<void> | null = null;

function unknownExtension(error: unknown): boolean {
  return typeof error === 'object' && error !== null && Reflect.get(error, 'code') === 'ERR_UNKNOWN_FILE_EXTENSION';
}

/** `import(url)`, registering tsx when Node cannot load the file's extension by itself. */
export async function importModule(url: string): Promise<unknown> {
  try {
    return await import(url);
  } catch (error) {
    if (!unknownExtension(error)) throw error;
    registering ??= import('tsx/esm/api').then(({ register }) => {
      register();
    });
    await registering;
    // Node remembers the failed import of this URL: ask again under another one.
    return import(`${url}${url.includes('?') ? '&' : '?'}typescript`);
  }
}
