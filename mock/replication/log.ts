/**
 * State-machine replication over a Redis stream, one per namespace. The mock's state is
 * decided by its seed and the ordered list of requests that changed it, so every
 * instance keeps its own in-memory state and applies the same ordered log of commands
 * with the same handlers:
 *
 *   - a write is appended to the log (XADD) and answered once this instance has applied
 *     the log up to it, with the result it had there (read your writes);
 *   - every API request first applies what other instances logged (one XREAD), so a write
 *     on one instance is read on any other, tokens and codes work everywhere, and a reset
 *     or a clock move on one is seen by all; a write that finds no read under way appends
 *     with the read that applies it, in one round trip;
 *   - the log's total order decides every race the way one process would: 1,000
 *     concurrent upserts of one email make one contact, an OAuth code redeemed on two
 *     instances at once is redeemed once.
 *
 * Each command is applied at the time the instance that took it read (the pinned clock),
 * so IDs (seeded RNGs), dates and expiries come out the same on every instance.
 */
import { randomUUID } from 'node:crypto'
import type { Clock } from '../clock.ts'
import { connectRedis, shared, type RedisLink } from '../redis/connection.ts'
import { createRedisCounters } from '../limits/redis-counters.ts'
import type { RateCounters } from '../limits/counters.ts'
import { refuse } from '../errors.ts'
import { handlers } from '../handlers.ts'
import type { HandlerInput, HandlerResult } from '../handler.ts'
import { namespaceOf, type MockOptions } from '../options.ts'
import type { MockState } from '../state.ts'
import type { TokenRecord } from '../auth/tokens.ts'
import { pinnable, type PinnableClock } from './clock.ts'
import { claimNamespace, runOf, setupKey, setupOf } from './setup.ts'
import { RECORD_ATTEMPTS, claimAttempts, recordAttempts } from './webhooks.ts'
import type { WebhookDeps } from '../webhooks/webhooks.ts'
import { writes } from './writes.ts'
import type { Replication } from './types.ts'

/** One logged request: what its handler needs, when it came, and who is waiting for its answer. */
interface Command {
  from: string
  req: number
  op: string
  at: number
  params: Record<string, unknown>
  query: Record<string, unknown>
  body: unknown
  auth?: TokenRecord
  url: string
}

interface Waiter {
  resolve(result: HandlerResult | Response): void
  reject(err: unknown): void
  settled: boolean
}

/** Entries read per XREAD while catching up. */
const BATCH = 500
/** Entries applied between two turns of the event loop. */
const YIELD_EVERY = 50

/** The stream id right before `id` (XREAD reads after the id it is given). */
export function justBefore(id: string): string {
  const [ms, seq] = id.split('-').map(BigInt)
  if (seq > 0n) return `${ms}-${seq - 1n}`
  return ms > 0n ? `${ms - 1n}-18446744073709551615` : '0-0'
}

export interface Joined {
  redis: RedisLink
  clock: PinnableClock
  /** Rate counters whose reset only the instance that took the reset performs (the others would wipe later counts). */
  counters: RateCounters
  /**
   * The logged command being applied, if any (`mine`: this instance took it). Shared records
   * (journal, violations, fault counters) are cleared by the instance that took the command, once.
   */
  command(): { id: string; mine: boolean } | undefined
  /** Which instance makes each webhook attempt; the attempts go into the log (mock/replication/webhooks.ts). */
  claimWebhookAttempt: NonNullable<WebhookDeps['claim']>
  /** Replays the log onto the freshly built state; afterwards the state follows the log. */
  start(state: MockState): Promise<Replication>
}

export async function joinNamespace(options: MockOptions, base: Clock): Promise<Joined> {
  const namespace = namespaceOf(options)
  const redis = await connectRedis(options.store!, namespace)
  // A copy: resets change the state's options (the same object) later.
  const setup = structuredClone(setupOf(options)) as ReturnType<typeof setupOf> & Pick<MockOptions, 'seed' | 'locations' | 'contacts'>
  let run: string
  try {
    run = await claimNamespace(redis, namespace, setup)
  } catch (err) {
    await redis.close()
    throw err
  }
  const instance = randomUUID()
  const key = `${redis.prefix}log`
  // Where the log starts after its last trim: the reset it starts with and the data setup that reset left.
  const baseKey = `${redis.prefix}base`
  const clock = pinnable(base)
  const pending = new Map<number, Waiter>()
  let seq = 0
  let last = '0-0'
  let applying: { id: string; from: string } | undefined
  // The log entry of the last reset applied: webhook ids repeat after a reset.
  let epoch = '0'
  let state: MockState | undefined
  let wasReset = false
  const epochKey = () => `${run}:${epoch}`
  const recordWebhookAttempts = recordAttempts(epochKey)

  const command = () => applying && { id: applying.id, mine: applying.from === instance }

  const redisCounters = createRedisCounters(redis)
  const counters: RateCounters = {
    decide: (input) => redisCounters.decide(input),
    peek: (key, now) => redisCounters.peek(key, now),
    reset: () => (command()?.mine === false ? Promise.resolve() : redisCounters.reset()),
  }

  async function apply(id: string, fields: string[]) {
    let cmd: Command
    try {
      cmd = JSON.parse(fields[1]) as Command
    } catch {
      return
    }
    const mine = cmd.from === instance
    const waiter = mine ? pending.get(cmd.req) : undefined
    if (waiter) pending.delete(cmd.req)
    const handler = cmd.op === RECORD_ATTEMPTS ? recordWebhookAttempts : handlers[cmd.op]
    if (!handler || !state) return
    applying = { id, from: cmd.from }
    wasReset = false
    const built = state
    try {
      const input: HandlerInput = { params: cmd.params, query: cmd.query, body: cmd.body, auth: cmd.auth, url: cmd.url }
      const result = await clock.pinned(cmd.at, async () => handler(input, built))
      if (wasReset && mine) await trimBefore(id, state)
      waiter?.resolve(result)
    } catch (err) {
      // Another instance's failed command failed there too and was answered there.
      waiter?.reject(err)
    } finally {
      applying = undefined
    }
  }

  /**
   * A reset makes everything logged before it irrelevant, so the instance that took it
   * drops those entries: the log grows only between resets. An instance joining later
   * resets to the data setup recorded here and replays from the reset itself on (the
   * command may do more after its reset: a scenario adds its rules).
   */
  async function trimBefore(id: string, built: MockState) {
    const { seed, locations, contacts } = built.options
    try {
      await redis.client.multi().set(baseKey, JSON.stringify({ id, seed, locations, contacts })).xtrim(key, 'MINID', id).exec()
    } catch {
      // Best effort: an untrimmed log replays to the same state, only more slowly.
    }
  }

  /**
   * Puts the state where the log starts: the data setup of the reset it was trimmed to, or
   * the seed. `fresh`: the state was just built from the seed, so only a trimmed log needs a reset.
   */
  async function rebase(built: MockState, fresh: boolean) {
    const stored = await redis.client.get(baseKey)
    const base = stored === null ? undefined : (JSON.parse(stored) as { id: string; seed: number | string; locations: number; contacts: number })
    last = base ? justBefore(base.id) : '0-0'
    if (fresh && !base) return
    // Not a command of the log: the shared counters are not this reset's to clear. Its id
    // names the generation of the start rules' counters (mock/redis/fault-rules.ts): with no
    // reset to rebase on, 'start', what an instance started afresh on the same log counts in.
    applying = { id: base ? last : 'start', from: '' }
    try {
      await built.reset(
        base
          ? { seed: base.seed, locations: base.locations, contacts: base.contacts }
          : { seed: setup.seed, locations: setup.locations, contacts: setup.contacts },
      )
    } finally {
      applying = undefined
    }
    // What a fresh instance has (the reset's entry, or '0' for the seed): one that started over claims the same webhook attempts.
    epoch = base ? base.id : '0'
  }

  /**
   * Redis lost the namespace (restarted without persistence, or the keys were deleted): the
   * log this state was built from is gone, so start over as a fresh instance would, with
   * the new log. Every instance does the same on its next request, so they agree again.
   */
  async function startOver(built: MockState) {
    run = await claimNamespace(redis, namespace, setup)
    await rebase(built, false)
  }

  // The setup record last seen, raw: while it does not change, neither does the run it names.
  let seenSetup: string | null | undefined
  // A write to append in the pull it is about to start (see submit).
  let outbox: Command[] = []

  async function pull() {
    // Taken now, so a write's command is appended by the very pull its sync() waits for.
    const appending = outbox
    outbox = []
    for (;;) {
      // The setup record rides along: one round trip tells whether the log is still the one applied here.
      const batch = redis.client.pipeline().get(setupKey(redis))
      for (const cmd of appending.splice(0)) batch.xadd(key, '*', 'c', JSON.stringify(cmd))
      const replies = (await batch.xread('COUNT', BATCH, 'STREAMS', key, last).exec()) as [Error | null, unknown][]
      const failed = replies.find(([err]) => err)
      if (failed) throw failed[0]
      const record = replies[0][1] as string | null
      const reply = replies[replies.length - 1][1] as [string, [string, string[]][]][] | null
      if (record !== seenSetup) {
        if (runOf(record) !== run && state) {
          await startOver(state)
          continue
        }
        seenSetup = record
      }
      const entries = reply?.[0]?.[1] ?? []
      for (const [i, [id, fields]] of entries.entries()) {
        // Applying never waits on I/O: a long run would hold the event loop, and the
        // requests this instance is serving, until it ends.
        if (i > 0 && i % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve))
        await apply(id, fields)
        last = id
      }
      if (entries.length < BATCH) return
    }
  }

  // Requests that want to catch up while a pull runs share the next pull, which starts
  // after it: one XREAD serves them all and none misses an entry logged before it asked.
  let pulling: Promise<void> | undefined
  let again: Promise<void> | undefined
  function sync(): Promise<void> {
    if (!pulling) {
      pulling = shared(pull).finally(() => {
        pulling = undefined
      })
      return pulling
    }
    again ??= pulling
      .catch(() => {})
      .then(() => {
        again = undefined
        return sync()
      })
    return again
  }

  const replication: Replication = {
    writes,
    async catchUp(_c, next) {
      await sync()
      return next()
    },
    async submit(operationId, input) {
      const req = ++seq
      let waiter!: Waiter
      const answer = new Promise<HandlerResult | Response>((resolve, reject) => {
        waiter = {
          settled: false,
          resolve(r) {
            waiter.settled = true
            resolve(r)
          },
          reject(e) {
            waiter.settled = true
            reject(e)
          },
        }
      })
      // Settled while the log is applied, possibly before anyone awaits it.
      answer.catch(() => {})
      pending.set(req, waiter)
      const cmd: Command = {
        from: instance,
        req,
        op: operationId,
        at: clock.unpinned(),
        params: input.params,
        query: input.query,
        body: input.body,
        auth: input.auth,
        url: input.url,
      }
      try {
        // With no pull under way, the pull this starts appends it with the read that applies it:
        // one round trip for both. Otherwise append now (the same connection: before the next
        // pull's read) and let the next pull apply it with the other instances' entries.
        if (pulling) await shared(() => redis.client.xadd(key, '*', 'c', JSON.stringify(cmd)))
        else outbox.push(cmd)
        await sync()
      } catch (err) {
        // Not in the outbox any more: the pull sync() started took it before it could fail.
        pending.delete(req)
        throw err
      }
      // Applied by now, unless the entry left the log before this instance read it (another instance's reset trimmed it).
      if (!waiter.settled) {
        pending.delete(req)
        throw refuse('store-unavailable', 'the request was logged but the log no longer holds it')
      }
      return answer
    },
  }

  return {
    redis,
    clock,
    counters,
    command,
    claimWebhookAttempt: claimAttempts(redis, instance, epochKey, options.webhookTimeoutMs, () => (state ? replication : undefined)),
    async start(built) {
      state = built
      const reset = built.reset
      built.reset = async (overrides) => {
        await reset(overrides)
        epoch = applying?.id ?? epoch
        wasReset = true
      }
      await shared(() => rebase(built, true))
      await sync()
      return replication
    },
  }
}
