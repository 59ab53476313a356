/**
 * `npm start` stopped by a signal leaves no server behind. npm runs the script through
 * `sh -c`; a signal to npm alone reached only that shell, and node kept the port.
 */
import type { ChildProcess } from 'node:child_process'
import { afterAll, describe, expect, it } from 'vitest'
import { killGroup, portClosed, spawnServer } from '../support/processes.ts'

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'

describe.skipIf(process.platform === 'win32')('npm start and signals', () => {
  const spawned: ChildProcess[] = []
  afterAll(() => spawned.forEach(killGroup))

  it.concurrent.each([
    ['SIGTERM to the npm process', 'wrapper', 'SIGTERM'],
    ['SIGINT to the npm process', 'wrapper', 'SIGINT'],
    ['SIGINT to the process group (Ctrl-C)', 'group', 'SIGINT'],
    ['SIGKILL to the npm process', 'wrapper', 'SIGKILL'],
  ] as const)(
    '%s frees the port',
    async (_name, target, signal) => {
      const { child, url } = await spawnServer(npm, ['start', '--', '--port', '0', '--quiet'], { spawned: (c) => spawned.push(c) })
      try {
        expect((await fetch(`${url}/__mock/health`)).status).toBe(200)
        process.kill(target === 'group' ? -child.pid! : child.pid!, signal)
        expect(await portClosed(url)).toBe(true)
      } finally {
        killGroup(child)
      }
      // npm, tsx and a seeded mock start in a few seconds alone, much slower on a busy 2-core runner.
    },
    120_000,
  )
})
