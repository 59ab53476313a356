/**
 * The command timeout of the link to Redis: a command Redis leaves unanswered becomes a 503,
 * and a command Redis answered is not refused because this process was too busy to read the
 * reply in time (what made the 1,000-request suites answer 503 on a loaded machine).
 */
import { describe, expect, it } from 'vitest'
import { Redis } from 'ioredis'
import { connectRedis, shared, type RedisLink } from '../../mock/redis/connection.ts'
import { HttpError } from '../../mock/errors.ts'
import { useRedisSuite } from './support/redis-server.ts'

const suite = useRedisSuite()
const TIMEOUTS = { connectMs: 2000, commandMs: 200 }

/** Holds the event loop, as a burst of requests applied in one turn does on a starved machine. */
function busy(ms: number) {
  const until = performance.now() + ms
  while (performance.now() < until) {}
}

async function withLink(run: (link: RedisLink, admin: Redis) => Promise<void>) {
  const link = await connectRedis(suite.redis.url, suite.namespace('conn'), TIMEOUTS)
  const admin = new Redis(suite.redis.url)
  try {
    await run(link, admin)
  } finally {
    await admin.client('UNPAUSE').catch(() => {})
    admin.disconnect()
    await link.close()
  }
}

describe('command timeout', () => {
  it('a reply that came while the event loop was busy for longer than the timeout is taken, not refused', async () => {
    await withLink(async (link) => {
      const key = `${link.prefix}k`
      const writes = Array.from({ length: 100 }, (_, i) => link.client.rpush(key, String(i)))
      const read = link.client.lrange(key, 0, -1)
      busy(3 * TIMEOUTS.commandMs)
      expect(await Promise.all(writes)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1))
      expect(await read).toHaveLength(100)
      // Several busy turns in a row, each shorter than the timeout, add up to more than it.
      const ping = link.client.ping()
      for (let i = 0; i < 4; i++) {
        busy(TIMEOUTS.commandMs / 2 + 20)
        await new Promise((resolve) => setImmediate(resolve))
      }
      expect(await ping).toBe('PONG')
    })
  })

  it('a command Redis leaves unanswered is refused after the timeout, as a 503; on duplicates too', async () => {
    await withLink(async (link, admin) => {
      const reader = link.client.duplicate()
      reader.on('error', () => {})
      try {
        await reader.connect()
        // Redis holds writes without closing the connection: a hung server, not a closed one.
        expect(await admin.client('PAUSE', 60_000, 'WRITE')).toBe('OK')
        const held = shared(() => link.client.set(`${link.prefix}k`, 'v'))
        const alsoHeld = reader.set(`${link.prefix}k2`, 'v')
        const refused = await held.then(
          () => undefined,
          (err: unknown) => err,
        )
        expect(refused).toBeInstanceOf(HttpError)
        expect((refused as HttpError).status).toBe(503)
        expect((refused as HttpError).body).toMatchObject({ statusCode: 503, error: 'Service Unavailable', message: expect.stringMatching(/Redis.*timed out/) })
        await expect(alsoHeld).rejects.toThrow(/timed out/)
      } finally {
        reader.disconnect()
      }
    })
  })

  it('the link answers again once Redis does', async () => {
    await withLink(async (link, admin) => {
      await admin.client('PAUSE', 60_000, 'WRITE')
      await expect(link.client.set(`${link.prefix}k`, 'v')).rejects.toThrow(/timed out/)
      await admin.client('UNPAUSE')
      expect(await link.client.set(`${link.prefix}k`, 'w')).toBe('OK')
      expect(await link.client.get(`${link.prefix}k`)).toBe('w')
    })
  })
})
