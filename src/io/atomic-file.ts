import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Creates `dir` and its missing parents one level at a time. (A recursive
 * mkdir under a pseudo file system such as /proc can spin forever on Node 20;
 * one level at a time fails fast with the real error.)
 */
export async function ensureDir(dir: string): Promise<void> {
  const absolute = path.resolve(dir);
  const missing: string[] = [];
  for (let current = absolute; ; current = path.dirname(current)) {
    try {
      await mkdir(current);
      break;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') break;
      if (code !== 'ENOENT' || path.dirname(current) === current) throw err;
      missing.push(current);
    }
  }
  for (const level of missing.reverse()) {
    try {
      await mkdir(level);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

/** Writes a file atomically (temp file + rename), so a reader never sees half a report. */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  await ensureDir(path.dirname(file));
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, content);
  await rename(temp, file);
}

/** Writes `value` as indented JSON, atomically. */
export async function writeJson(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}
