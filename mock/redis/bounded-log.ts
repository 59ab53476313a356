/**
 * A bounded, ordered list every instance of a namespace appends to and reads: a Redis
 * stream capped near `capacity` (XADD MAXLEN ~), each entry numbered by one shared
 * counter in the same script, so numbers follow the stream's order whoever appended.
 * Appends made in one turn of the event loop go to Redis in one script call.
 */
import type { Redis } from 'ioredis'
import { shared } from './connection.ts'

// KEYS: stream, counter. ARGV: capacity, then one JSON value per entry.
const APPEND = `
for i = 2, #ARGV do
  local n = redis.call('INCR', KEYS[2])
  redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'n', n, 'v', ARGV[i])
end
return #ARGV - 1
`

/** A blocking read waits this long at most, under the client's 2 s command timeout. */
const BLOCK_MS = 1000
/** After a failed read (Redis away), try again this much later. */
const RETRY_MS = 250

export interface Numbered<T> {
  id: number
  value: T
}

export interface BoundedLog<T> {
  append(value: T): Promise<void>
  /** Every entry, oldest first, at most `capacity` of them. */
  list(): Promise<Numbered<T>[]>
  /** Empties the list; numbers go on from where they were. */
  clear(): Promise<void>
  /** Calls `listener` with every entry appended from now on, by any instance; resolves once reading. */
  follow(listener: (entry: Numbered<T>) => void): Promise<() => void>
}

type StreamEntry = [id: string, fields: string[]]

function parse<T>([, fields]: StreamEntry): Numbered<T> | undefined {
  const n = fields.indexOf('n')
  const v = fields.indexOf('v')
  if (n < 0 || v < 0) return undefined
  try {
    return { id: Number(fields[n + 1]), value: JSON.parse(fields[v + 1]) as T }
  } catch {
    return undefined
  }
}

export function createBoundedLog<T>(deps: { client: Redis; key: string; capacity: number }): BoundedLog<T> {
  const { client, key, capacity } = deps
  const counter = `${key}:n`
  let batch: string[] | undefined
  let flushed: Promise<void> = Promise.resolve()
  // Followers read on connections of their own (a blocking read holds its connection); closed with the client.
  const followers = new Set<() => void>()
  client.once('end', () => {
    for (const stop of followers) stop()
  })

  const entries = (reply: StreamEntry[]) => reply.map((e) => parse<T>(e)).filter((e): e is Numbered<T> => e !== undefined)

  return {
    append(value) {
      if (!batch) {
        const mine: string[] = []
        batch = mine
        flushed = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
          batch = undefined
          await shared(() => client.eval(APPEND, 2, key, counter, capacity, ...mine))
        })
      }
      batch.push(JSON.stringify(value))
      return flushed
    },
    async list() {
      const reply = (await shared(() => client.xrange(key, '-', '+'))) as StreamEntry[]
      // MAXLEN ~ trims whole blocks of entries, so the stream may hold a few more than asked.
      return entries(reply).slice(-capacity)
    },
    async clear() {
      await shared(() => client.xtrim(key, 'MAXLEN', 0))
    },
    async follow(listener) {
      const reader = client.duplicate()
      reader.on('error', () => {})
      let stopped = false
      const stop = () => {
        stopped = true
        followers.delete(stop)
        reader.disconnect()
      }
      let last: string
      try {
        await shared(() => reader.connect())
        last = ((await shared(() => reader.xrevrange(key, '+', '-', 'COUNT', 1))) as StreamEntry[])[0]?.[0] ?? '0-0'
      } catch (err) {
        stop()
        throw err
      }
      followers.add(stop)
      void (async () => {
        while (!stopped) {
          try {
            const reply = (await reader.xread('COUNT', 500, 'BLOCK', BLOCK_MS, 'STREAMS', key, last)) as [string, StreamEntry[]][] | null
            const got = reply?.[0]?.[1] ?? []
            if (got.length > 0) last = got[got.length - 1][0]
            for (const e of entries(got)) if (!stopped) listener(e)
          } catch {
            if (!stopped) await new Promise((resolve) => setTimeout(resolve, RETRY_MS).unref())
          }
        }
      })()
      return stop
    },
  }
}
