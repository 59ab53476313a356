/**
 * Fault rules whose counters for API requests live in Redis, so the instances of a
 * namespace count together: a `times: 3` rule faults 3 requests in all, `after: N` lets N
 * through in all, and `probability` rules draw the seeded sequence by one shared draw
 * counter, so which requests fail does not depend on which instance served them.
 *
 * The rules themselves are each instance's own, kept equal by the log. Counters are keyed
 * by the log entry that added the rule (its generation): a rule added again, or again after
 * a reset, counts from zero on every instance without anyone clearing a key another
 * instance may be counting in. Webhook rules keep their counters in memory: every instance
 * makes the same deliveries and so counts the same.
 */
import { shared } from './connection.ts'
import { drawAt } from '../rng.ts'
import { createMatcher, faultSeed, isWebhookMatch, type FaultRule, type FaultRules } from '../faults/rules.ts'
import type { SharedDeps } from './records.ts'

/**
 * Counters left behind when no instance drops them (every instance gone, or a drop lost to a
 * Redis error) expire; each hit puts this off again, so a rule in use keeps its counts.
 */
const COUNTERS_TTL_SECONDS = 7 * 24 * 3600

// KEYS: the rule's counters, the draw counter. ARGV: mode, limit, ttl.
// Returns: 1 fires / 0 does not / 2 draw (the caller compares draw n with the probability), seen, fired, n.
const HIT = `
local seen = redis.call('HINCRBY', KEYS[1], 'seen', 1)
redis.call('EXPIRE', KEYS[1], ARGV[3])
local fired = tonumber(redis.call('HGET', KEYS[1], 'fired') or '0')
local mode, limit = ARGV[1], tonumber(ARGV[2])
if mode == 'probability' then
  local n = redis.call('INCR', KEYS[2])
  redis.call('EXPIRE', KEYS[2], ARGV[3])
  return {2, seen, fired, n}
end
if (mode == 'times' and fired >= limit) or (mode == 'after' and seen <= limit) then return {0, seen, fired, 0} end
return {1, seen, redis.call('HINCRBY', KEYS[1], 'fired', 1), 0}
`

/** Where a rule's shared counts start: its generation, and the counts a loaded state gave it. */
interface Base {
  gen: string
  seen: number
  fired: number
}

export function createRedisFaultRules(local: FaultRules, deps: SharedDeps & { seed: number | string }): FaultRules {
  const { client, prefix } = deps
  let seed = deps.seed
  const matches = createMatcher()
  const bases = new Map<string, Base>()
  // Rules added at start (no command) share one generation on every instance.
  const generation = () => deps.command()?.id ?? 'start'
  let drawGen = generation()
  const countersKey = (id: string, b: Base) => `${prefix}faults:${b.gen}:${id}`
  const drawsKey = () => `${prefix}faults:draws:${drawGen}`

  /** Keys no instance counts in once the command applied here is applied everywhere; the instance that took it drops them. */
  function drop(keys: string[]) {
    if (keys.length === 0 || !deps.command()?.mine) return
    void client.unlink(...keys).catch(() => {})
  }

  function counted(rule: FaultRule, b: Base | undefined, seen: number, fired: number): FaultRule {
    return { ...rule, seen: (b?.seen ?? 0) + seen, fired: (b?.fired ?? 0) + fired }
  }

  /** The first of the rules a request matched that fires, decided on the shared counters. */
  async function firstFiring(matched: FaultRule[]): Promise<FaultRule | undefined> {
    for (const rule of matched) {
      const b = bases.get(rule.id)
      const key = countersKey(rule.id, b ?? { gen: 'start', seen: 0, fired: 0 })
      // A loaded state's counts are part of the rule's history: its limits shrink by them.
      const [mode, limit] =
        rule.times !== undefined
          ? ['times', rule.times - (b?.fired ?? 0)]
          : rule.after !== undefined
            ? ['after', rule.after - (b?.seen ?? 0)]
            : rule.probability !== undefined
              ? ['probability', 0]
              : ['always', 0]
      const [verdict, seen, fired, n] = (await shared(() => client.eval(HIT, 2, key, drawsKey(), mode, limit, COUNTERS_TTL_SECONDS))) as number[]
      if (verdict === 1) return counted(rule, b, seen, fired)
      if (verdict === 2 && drawAt(faultSeed(seed), n) < rule.probability!) {
        return counted(rule, b, seen, await shared(() => client.hincrby(key, 'fired', 1)))
      }
    }
    return undefined
  }

  const rules: FaultRules = {
    ...local,
    add(input) {
      const rule = local.add(input)
      const old = bases.get(rule.id)
      bases.set(rule.id, { gen: generation(), seen: 0, fired: 0 })
      if (old) drop([countersKey(rule.id, old)])
      return rule
    },
    remove(id) {
      const old = bases.get(id)
      bases.delete(id)
      if (old) drop([countersKey(id, old)])
      return local.remove(id)
    },
    clear() {
      drop([...bases].map(([id, b]) => countersKey(id, b)))
      bases.clear()
      local.clear()
    },
    reset(newSeed) {
      drop([...[...bases].map(([id, b]) => countersKey(id, b)), drawsKey()])
      bases.clear()
      local.reset(newSeed)
      seed = newSeed
      drawGen = generation()
    },
    restore(list) {
      drop([...bases].map(([id, b]) => countersKey(id, b)))
      bases.clear()
      local.restore(list)
      const gen = generation()
      for (const r of list) bases.set(r.id, { gen, seen: r.seen, fired: r.fired })
    },
    decide(req) {
      // Most requests match no rule: answer those at once, without a promise or a Redis call.
      const matched = local.list().filter((rule) => matches(rule.match, req))
      return matched.length === 0 ? undefined : firstFiring(matched)
    },
    async read() {
      const list = local.list()
      const requestRules = list.filter((r) => !isWebhookMatch(r.match))
      if (requestRules.length === 0) return list
      const pipeline = client.pipeline()
      for (const r of requestRules) pipeline.hmget(countersKey(r.id, bases.get(r.id) ?? { gen: 'start', seen: 0, fired: 0 }), 'seen', 'fired')
      const replies = await shared(async () => {
        const got = (await pipeline.exec()) ?? []
        for (const [err] of got) if (err) throw err
        return got
      })
      const counts = new Map(
        requestRules.map((r, i) => {
          const [seen, fired] = (replies[i]?.[1] ?? [null, null]) as [string | null, string | null]
          return [r.id, counted(r, bases.get(r.id), Number(seen ?? 0), Number(fired ?? 0))]
        }),
      )
      return list.map((r) => counts.get(r.id) ?? r)
    },
  }
  return rules
}
