import { configDefaults, defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The packed consumer's tests run inside its own project (npm run test:slow); Redis suites
    // need a redis-server: npm run test:redis (vitest.redis.config.ts); real-browser tests: npm run test:browser.
    exclude: [...configDefaults.exclude, 'test/packed/**', 'test/redis/**', 'test/browser/**'],
    // Suites build their own mock instances; files run in parallel across the 2 cores.
    pool: 'threads',
    // Files share a worker's module cache: importing the spec, ajv and Hono once per worker
    // instead of once per file takes the suite from ~250 s to ~85 s on 2 cores. Tests own no
    // global state (each builds its own mock), so nothing leaks between files.
    isolate: false,
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
})
