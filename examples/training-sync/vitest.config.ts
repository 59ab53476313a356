import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each scenario starts its own mock; waits and latency pass in mock time, so runs are short.
    testTimeout: 60_000,
  },
})
