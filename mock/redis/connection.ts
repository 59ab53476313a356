/**
 * The link to Redis when several mock instances share one (`--store redis://…`). Commands
 * fail fast instead of queueing while Redis is away, and the client keeps reconnecting,
 * so a Redis outage turns into 503 answers and the mock recovers on its own when it returns.
 */
import { Redis, type Command } from 'ioredis'
import { refuse } from '../errors.ts'
import { redactUrl } from './url.ts'

export interface RedisLink {
  client: Redis
  /** Key prefix of this mock's namespace, ending in ':'. */
  prefix: string
  close(): Promise<void>
}

export interface RedisTimeouts {
  /** How long the first connection may take before the start fails, and each later connect attempt. */
  connectMs: number
  /** How long Redis may leave a command unanswered before the mock answers 503 (Redis hung, or gone without closing the connection). */
  commandMs: number
}

const TIMEOUTS: RedisTimeouts = { connectMs: 2000, commandMs: 2000 }

export async function connectRedis(url: string, namespace: string, timeouts: RedisTimeouts = TIMEOUTS): Promise<RedisLink> {
  const client = patient(
    new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: timeouts.connectMs,
      lazyConnect: true,
      retryStrategy: (times) => Math.min(times * 50, 1000),
    }),
    timeouts.commandMs,
  )
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

/** How often the timeouts are checked; a command may be refused up to this much early or late. */
const TICK_MS = 100
/** Taken at load: Redis's silence is real time, whatever a test's fake timers do to the clock. */
const realTimeout = globalThis.setTimeout

/**
 * Times out the commands Redis leaves unanswered, and only those. ioredis's commandTimeout
 * counts wall time until this process reads the reply: with the event loop busy (1,000
 * requests in flight on a loaded machine) a command may wait seconds to be written, and its
 * reply seconds to be read, and it refused commands Redis had answered at once (503s under
 * load). Here a command's time runs only while this process is listening: a check every
 * TICK_MS counts at most TICK_MS however late it runs, so the seconds the loop was busy
 * elsewhere are not held against Redis. Duplicates (blocking readers) are timed the same way.
 */
function patient(client: Redis, ms: number): Redis {
  const waiting = new Map<Command, number>()
  let listened = 0
  let last = 0
  let ticking: NodeJS.Timeout | undefined
  const tick = () => {
    const now = performance.now()
    listened += Math.min(now - last, TICK_MS)
    last = now
    for (const [command, since] of waiting) {
      if (listened - since < ms) continue
      waiting.delete(command)
      if (!command.isSettled) command.reject(new Error(`Command timed out: Redis left ${command.name} unanswered for ${ms} ms`))
    }
    ticking = waiting.size > 0 ? realTimeout(tick, TICK_MS) : undefined
  }
  const send = client.sendCommand.bind(client)
  client.sendCommand = (command, stream) => {
    // A command is sent again after a reconnect: its time goes on.
    if (!waiting.has(command) && !command.isSettled) {
      waiting.set(command, listened)
      const done = () => waiting.delete(command)
      command.promise.then(done, done)
      if (!ticking) {
        last = performance.now()
        ticking = realTimeout(tick, TICK_MS)
      }
    }
    return send(command, stream)
  }
  const duplicate = client.duplicate.bind(client)
  client.duplicate = (override) => patient(duplicate(override), ms)
  return client
}

/** Runs one Redis call; a failure of Redis itself becomes the API's 503, never a crash or a hang. */
export async function shared<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (err) {
    throw refuse('store-unavailable', (err as Error).message)
  }
}
