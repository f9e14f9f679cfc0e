/**
 * `npm run build` (run by `npm pack` and `npm publish` through `prepack`):
 * compiles `src/` to JavaScript with declarations in `dist/`, and copies the
 * `.mjs` files Node loads by path (the fuzzing threads' entry point, the
 * mutation redirect hooks). The repository itself runs the sources through
 * tsx; the published package runs `dist/`, which starts faster.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
const src = path.join(root, 'src');
for (const file of readdirSync(src, { recursive: true }).map(String)) {
  if (file.endsWith('.mjs')) cpSync(path.join(src, file), path.join(dist, file));
}
