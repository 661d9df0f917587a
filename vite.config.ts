// Vite (the client app in client/) and Vitest (tests at the repo top) in one file.
//
//   npx vite                 dev server on :5173, /api proxied to the API server on :3000
//   npx vite build           → dist/client (served by the API server in production)
//   npx vitest run tests/unit
//
// E2E browser tests have their own config: npx vitest run --config tests/e2e/vitest.config.ts
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

const top = fileURLToPath(new URL('.', import.meta.url));
const apiTarget = process.env.API_URL ?? 'http://localhost:3000';
const proxy = {
  '/api': {
    target: apiTarget,
    changeOrigin: false,
    // The client's own modules under client/api/ (e.g. /api/client.ts) share the prefix: Vite
    // serves those itself.
    bypass: (req: { url?: string }) => {
      const path = req.url?.split('?')[0];
      return path && existsSync(`${top}client${path}`) ? req.url : undefined;
    },
  },
};

export default defineConfig({
  root: `${top}client`,
  plugins: [react()],
  build: {
    outDir: `${top}dist/client`,
    emptyOutDir: true,
    sourcemap: true,
    // maplibre-gl and deck.gl are big on their own; say so only when something else grows.
    chunkSizeWarningLimit: 2500,
  },
  server: { proxy },
  preview: { proxy },
  test: {
    // The app root is client/, the tests live at the repo top.
    root: top,
    include: ['tests/unit/**/*.test.{ts,tsx}', 'tests/integration/**/*.test.ts'],
    environment: 'node', // client tests opt in with `// @vitest-environment jsdom`
    testTimeout: 60_000,
    hookTimeout: 300_000,
    fileParallelism: false, // integration tests share one database
  },
});
