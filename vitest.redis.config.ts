import { defineConfig } from 'vitest/config'

// The Redis suites (npm run test:redis): each starts its own redis-server, so they stay out of `npm test`.
export default defineConfig({
  test: {
    include: ['test/redis/**/*.test.ts'],
    pool: 'threads',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
})
