// `npm run test:slow`: the packed-consumer suite (npm pack, install into a fresh project, use it there).
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/packed/*.slow.ts'],
    testTimeout: 600_000,
    hookTimeout: 900_000,
  },
})
