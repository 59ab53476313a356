import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The packed consumer's tests run inside its own project (npm run test:slow).
    exclude: ['test/packed/**', '**/node_modules/**'],
    // Suites build their own mock instances; files run in parallel across the 2 cores.
    pool: 'threads',
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
})
