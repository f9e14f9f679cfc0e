/**
 * Loads a client module written in TypeScript. The installed package is
 * JavaScript and starts without a TypeScript loader (fast start-up). A
 * module Node cannot load by itself is imported again through tsx,
 * registered once, under a new URL (Node caches the failed import): a `.ts`
 * file on Node 20 (unknown extension), or on a Node that strips types one
 * that needs more than stripping (an `enum`, `./x.js` imports of `./x.ts`).
 * Under a loader already (the sources run through tsx, vitest), the first
 * import simply works.
 */
let registering: Promise<void> | null = null;

/** `.ts`, `.mts`, `.cts`, `.tsx`. */
const TYPESCRIPT = /\.[cm]?tsx?$/;

function unknownExtension(error: unknown): boolean {
  return typeof error === 'object' && error !== null && Reflect.get(error, 'code') === 'ERR_UNKNOWN_FILE_EXTENSION';
}

/** `import(url)`, through tsx when Node cannot load the module by itself. */
export async function importModule(url: string): Promise<unknown> {
  try {
    return await import(url);
  } catch (error) {
    // Loaded through tsx already, or not TypeScript and not a TypeScript-only extension: the error is the module's own.
    if (registering !== null || !(TYPESCRIPT.test(new URL(url).pathname) || unknownExtension(error))) throw error;
    registering = import('tsx/esm/api').then(({ register }) => {
      register();
    });
    await registering;
    return import(`${url}${url.includes('?') ? '&' : '?'}typescript`);
  }
}
