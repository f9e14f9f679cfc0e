// Module resolution hooks (node:module register) that make every import of an
// installed npm package load a copy of it instead: the copy Stryker
// instruments. Plain JavaScript on purpose: hooks load before any TypeScript
// loader is registered (e.g. through NODE_OPTIONS in a client subprocess).
//
// `from` and `to` are directory URLs ending in '/': the package as installed
// (its real path) and the copy. A module inside the copy resolves its own
// imports as if it sat at its original place (so `zod`, `jose`… come from the
// project's node_modules), and any result inside the original package is
// moved to the same path in the copy (relative imports between the package's
// chunks included).

/** @type {{ from: string, to: string } | null} */
let redirect = null;

/** @param {{ from: string, to: string }} data */
export function initialize(data) {
  redirect = data;
}

/**
 * @param {string} specifier
 * @param {{ parentURL?: string }} context
 * @param {(specifier: string, context: object) => Promise<{ url: string }>} nextResolve
 */
export async function resolve(specifier, context, nextResolve) {
  if (redirect === null) return nextResolve(specifier, context);
  const { from, to } = redirect;
  const parent = context.parentURL;
  const asOriginal = parent !== undefined && parent.startsWith(to) ? { ...context, parentURL: from + parent.slice(to.length) } : context;
  const result = await nextResolve(specifier, asOriginal);
  return result.url.startsWith(from) ? { ...result, url: to + result.url.slice(from.length) } : result;
}
