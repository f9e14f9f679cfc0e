// Loads one of the tool's modules by its path under src/ without extension
// (e.g. 'cli/main'). The published package runs the compiled JavaScript in
// dist/ (fast start-up; a TypeScript client module registers tsx when it
// loads). A clone of the repository has the TypeScript sources and no build:
// they run through tsx.
import { existsSync } from 'node:fs';

export async function load(name) {
  const source = new URL(`../src/${name}.ts`, import.meta.url);
  if (existsSync(source)) {
    const { register } = await import('tsx/esm/api');
    register();
    return import(source.href);
  }
  return import(new URL(`../dist/${name}.js`, import.meta.url).href);
}
