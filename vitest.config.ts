import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    include: ['lib/**/*.test.ts', 'e2e/**/*.test.ts'],
    pool: 'forks',
    // Two cores: the end-to-end files start servers of their own; run files one or two at a time.
    maxWorkers: 2,
    testTimeout: 60_000,
    env: { LOG_LEVEL: 'warn' },
    hookTimeout: 180_000,
  },
});
