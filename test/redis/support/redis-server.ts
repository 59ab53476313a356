/**
 * A throwaway redis-server per suite: a free port, no persistence, stopped after the suite.
 * Readiness is a PING polled in a bounded loop, never a fixed sleep. `stop` and `start`
 * again on the same port let a test take Redis away and bring it back.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { createClock } from '../../../mock/clock.ts'
import type { MockOptions } from '../../../mock/options.ts'
import { startMockServer, type MockServer } from '../../../mock/server.ts'
import { T0 } from '../../support/mock.ts'

export interface TestRedis {
  port: number
  /** redis://127.0.0.1:<port>/0 */
  url: string
  start(): Promise<void>
  stop(): Promise<void>
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as import('node:net').AddressInfo
      s.close(() => resolve(port))
    })
  })
}

const PING_ATTEMPTS = 200
const PING_INTERVAL_MS = 25

async function waitForPing(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null })
  client.on('error', () => {})
  try {
    for (let i = 0; i < PING_ATTEMPTS; i++) {
      if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode}): ${output()}`)
      try {
        if (client.status !== 'ready') await client.connect()
        if ((await client.ping()) === 'PONG') return
      } catch {
        client.disconnect()
        await new Promise((r) => setTimeout(r, PING_INTERVAL_MS))
      }
    }
    throw new Error(`redis-server on port ${port} did not answer PING within ${PING_ATTEMPTS * PING_INTERVAL_MS} ms: ${output()}`)
  } finally {
    client.disconnect()
  }
}

export async function startTestRedis(): Promise<TestRedis> {
  const port = await freePort()
  let child: ChildProcess | undefined
  const redis: TestRedis = {
    port,
    url: `redis://127.0.0.1:${port}/0`,
    async start() {
      let log = ''
      child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] })
      child.stdout!.on('data', (d) => (log += d))
      child.stderr!.on('data', (d) => (log += d))
      await new Promise<void>((resolve, reject) => {
        child!.once('spawn', resolve)
        child!.once('error', reject)
      })
      await waitForPing(port, child, () => log.slice(-500))
    },
    async stop() {
      const c = child
      child = undefined
      if (!c || c.exitCode !== null) return
      await new Promise<void>((resolve) => {
        c.once('exit', () => resolve())
        c.kill('SIGKILL')
      })
    },
  }
  await redis.start()
  return redis
}

/**
 * The frame every multi-instance suite shares: its own redis-server for the file, the mock
 * servers a test starts (closed after each test), and a fresh namespace per cluster.
 */
export function useRedisSuite() {
  let server: TestRedis | undefined
  let count = 0
  const servers: MockServer[] = []
  beforeAll(async () => {
    server = await startTestRedis()
  })
  afterAll(async () => {
    await server?.stop()
  })
  afterEach(async () => {
    await Promise.all(servers.map((s) => s.close()))
    servers.length = 0
  })
  const redis = (): TestRedis => {
    if (!server) throw new Error('redis-server is not started yet (use it inside a test or a hook)')
    return server
  }
  return {
    get redis(): TestRedis {
      return redis()
    },
    servers,
    /** A namespace no other cluster of this run uses. */
    namespace: (prefix: string) => `${prefix}-${process.pid}-${++count}`,
    /**
     * A listening mock (port 0) on this suite's redis-server, its clock frozen at T0, closed
     * after the test; `options` add to or override that (`store: undefined` for the memory store).
     */
    async start(options: Partial<MockOptions>): Promise<MockServer> {
      const s = await startMockServer({ port: 0, store: redis().url, clock: createClock({ start: T0, frozen: true }), ...options })
      servers.push(s)
      return s
    },
  }
}
