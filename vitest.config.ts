import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'properties/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 30_000,
    // Every server binds its own ephemeral port, so files can run in parallel.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
