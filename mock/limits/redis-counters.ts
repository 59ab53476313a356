/**
 * Rate-limit counters in Redis, shared by every mock instance of a namespace. One Lua
 * script makes each decision (read both windows, refuse or count both), so concurrent
 * requests on any number of instances never overspend a budget. Windows follow the
 * mock's clock (passed in), not Redis's, so a frozen or advanced clock works as in memory.
 */
import type { Redis } from 'ioredis'
import { shared } from '../redis/connection.ts'
import type { Decision, RateCounters, WindowState } from './counters.ts'

// KEYS: burst, day. ARGV: now, burstMs, dayMs, enforce (0/1), burst limit, daily limit.
// Returns: refused, burst count, burst resetAt, day count, day resetAt (before this request).
const DECIDE = `
local now = tonumber(ARGV[1])
local function window(key, ms)
  local w = redis.call('HMGET', key, 'count', 'resetAt')
  if w[1] and tonumber(w[2]) > now then return tonumber(w[1]), tonumber(w[2]) end
  return 0, now + ms
end
local bc, br = window(KEYS[1], tonumber(ARGV[2]))
local dc, dr = window(KEYS[2], tonumber(ARGV[3]))
if ARGV[4] == '1' and (dc >= tonumber(ARGV[6]) or bc >= tonumber(ARGV[5])) then
  return {1, bc, tostring(br), dc, tostring(dr)}
end
redis.call('HSET', KEYS[1], 'count', bc + 1, 'resetAt', tostring(br))
redis.call('HSET', KEYS[2], 'count', dc + 1, 'resetAt', tostring(dr))
return {0, bc, tostring(br), dc, tostring(dr)}
`

export function createRedisCounters(deps: { client: Redis; prefix: string }): RateCounters {
  const prefix = `${deps.prefix}limits:`
  return {
    async decide({ burstKey, dayKey, burstMs, dayMs, limit, now }) {
      const reply = (await shared(() =>
        deps.client.eval(DECIDE, 2, prefix + burstKey, prefix + dayKey, now, burstMs, dayMs, limit ? 1 : 0, limit?.burst ?? 0, limit?.daily ?? 0),
      )) as [number, number, string, number, string]
      const [refused, bc, br, dc, dr] = reply
      const before = { burst: { count: bc, resetAt: Number(br) }, day: { count: dc, resetAt: Number(dr) } }
      if (refused === 1) return { refused: true, before, after: before } satisfies Decision
      const plusOne = (w: WindowState) => ({ ...w, count: w.count + 1 })
      return { refused: false, before, after: { burst: plusOne(before.burst), day: plusOne(before.day) } }
    },
    async peek(key, now) {
      const [count, resetAt] = await shared(() => deps.client.hmget(prefix + key, 'count', 'resetAt'))
      return count !== null && Number(resetAt) > now ? { count: Number(count), resetAt: Number(resetAt) } : undefined
    },
    async reset() {
      await shared(async () => {
        let cursor = '0'
        do {
          const [next, keys] = await deps.client.scan(cursor, 'MATCH', `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`, 'COUNT', 500)
          if (keys.length > 0) await deps.client.unlink(...keys)
          cursor = next
        } while (cursor !== '0')
      })
    },
  }
}
