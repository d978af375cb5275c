import { fileURLToPath, URL } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vitest/config'

/**
 * Test projects, one per kind of test (see README "Tests"):
 * - unit: pure logic in Node (server, mock, shared);
 * - component: Vue components in a DOM environment (happy-dom);
 * - integration: real databases (embedded PGlite always; PostgreSQL and Redis when reachable);
 * - e2e: the built product in Debian's Chromium, driven by playwright-core.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          // Projects run one after another (cheap first), so browsers never compete with database tests.
          sequence: { groupOrder: 0 },
          include: ['tests/unit/**/*.test.ts', 'server/**/*.test.ts', 'mock/**/*.test.ts'],
        },
      },
      {
        plugins: [vue()],
        // The screen's own import alias (as in vite.config.ts), so components mount as they are written.
        resolve: { alias: { '@': fileURLToPath(new URL('./screen/src', import.meta.url)) } },
        test: {
          name: 'component',
          environment: 'happy-dom',
          sequence: { groupOrder: 1 },
          include: ['tests/component/**/*.test.ts', 'screen/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          environment: 'node',
          sequence: { groupOrder: 2 },
          include: ['tests/integration/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Each file creates and drops its own databases; two at a time keeps a 2-core machine responsive.
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          sequence: { groupOrder: 3 },
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/e2e/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // Software WebGL uses a whole core: one browser at a time.
          fileParallelism: false,
        },
      },
    ],
  },
})
