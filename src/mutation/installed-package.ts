import { cp, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { MutationError } from './errors.ts';

/** An npm package as installed in a project's node_modules. */
export interface InstalledPackage {
  readonly name: string;
  readonly version: string;
  /** Its directory, symlinks resolved (Node resolves modules to real paths). */
  readonly dir: string;
}

/**
 * Finds `name` the way Node does for a bare import from `fromDir`: in the
 * nearest `node_modules/<name>` up the directory tree. Throws `MutationError`
 * when it is not installed.
 */
export async function findInstalledPackage(name: string, fromDir: string): Promise<InstalledPackage> {
  if (!/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i.test(name)) throw new MutationError(`not an npm package name: ${JSON.stringify(name)}`);
  for (let dir = path.resolve(fromDir); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    const manifest = await readFile(path.join(candidate, 'package.json'), 'utf8').catch(() => null);
    if (manifest !== null) {
      const version = (JSON.parse(manifest) as { version?: unknown }).version;
      return { name, version: typeof version === 'string' ? version : 'unknown', dir: await realpath(candidate) };
    }
    if (path.dirname(dir) === dir) break;
  }
  throw new MutationError(`package ${name} is not installed here (no node_modules/${name} from ${fromDir} upwards); npm install it first`);
}

/**
 * Copies the package into `dest` (its own files only: nested node_modules are
 * left out, the copy resolves dependencies from the original place). The copy
 * is what gets mutated: the installed package is never touched.
 */
export async function copyPackage(pkg: InstalledPackage, dest: string): Promise<void> {
  const nested = path.join(pkg.dir, 'node_modules');
  await cp(pkg.dir, dest, { recursive: true, dereference: true, filter: (source) => source !== nested });
  await stat(path.join(dest, 'package.json'));
}
