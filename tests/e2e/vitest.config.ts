// Browser (e2e) tests: npx vitest run --config tests/e2e/vitest.config.ts
// They need a running server: E2E_BASE_URL=http://127.0.0.1:3000 (the harness builds, seeds, starts).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    setupFiles: ['tests/e2e/authSetup.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    maxWorkers: 1,
    retry: 0,
  },
});
