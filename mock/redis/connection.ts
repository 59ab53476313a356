/**
 * The link to Redis when several mock instances share one (`--store redis://…`). Commands
 * fail fast instead of queueing while Redis is away, and the client keeps reconnecting,
 * so a Redis outage turns into 503 answers and the mock recovers on its own when it returns.
 */
import { Redis } from 'ioredis'
import { refuse } from '../errors.ts'
import { redactUrl } from './url.ts'

export interface RedisLink {
  client: Redis
  /** Key prefix of this mock's namespace, ending in ':'. */
  prefix: string
  close(): Promise<void>
}

/** How long the first connection may take before the start fails, and each later connect attempt. */
const CONNECT_TIMEOUT_MS = 2000

export async function connectRedis(url: string, namespace: string): Promise<RedisLink> {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: CONNECT_TIMEOUT_MS,
    commandTimeout: CONNECT_TIMEOUT_MS,
    lazyConnect: true,
    retryStrategy: (times) => Math.min(times * 50, 1000),
  })
  // Errors surface per command (as 503); the client's own 'error' events are only reconnect noise.
  client.on('error', () => {})
  try {
    await client.connect()
  } catch (err) {
    client.disconnect()
    throw new Error(`cannot reach Redis at ${redactUrl(url)}: ${(err as Error).message}`)
  }
  return {
    client,
    prefix: `${namespace}:`,
    async close() {
      client.disconnect()
    },
  }
}

/** Runs one Redis call; a failure of Redis itself becomes the API's 503, never a crash or a hang. */
export async function shared<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (err) {
    throw refuse('store-unavailable', (err as Error).message)
  }
}
