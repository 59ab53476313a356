/**
 * Webhooks when instances share one Redis. Every instance applies the same log, so every
 * instance makes the same deliveries (same webhookId) and holds the same queue; each
 * attempt of a delivery is made by one of them, the first to claim it (SET NX on
 * run, epoch, webhookId and the attempt's index). What the receiver answered goes into
 * the log as a command of its own, so every instance records the attempt, lists it, and
 * schedules the same retry: the retry's jitter comes from the seeded RNG that also draws
 * webhookIds, so it must be drawn in the log's order everywhere. A retry is then made by
 * whichever instance finds it due first, whether or not the one that made the first
 * attempt is still there. A claim whose instance died during the attempt lapses after the
 * webhook timeout plus a margin (real time), and the next flush anywhere makes it again.
 */
import type { RedisLink } from '../redis/connection.ts'
import type { Handler } from '../handler.ts'
import type { Attempt, QueueDeps } from '../webhooks/queue.ts'
import type { Replication } from './types.ts'

/** The log command that records attempts: not an API operation, applied only from the log. */
export const RECORD_ATTEMPTS = 'recordWebhookAttempts'

/**
 * A finished attempt's claim outlives the instances that may still be catching up to its record:
 * one joining later replays the whole log since the last reset, and may pump a delivery it
 * replayed before it reaches the record of the attempt (so no shorter than the log's age).
 */
const DONE_TTL_SECONDS = 7 * 24 * 3600
const CLAIM_MARGIN_SECONDS = 30

interface AttemptRecord {
  /** The run and epoch the delivery belongs to: a record that crossed a reset is dropped. */
  epoch: string
  webhookId: string
  n: number
  made: Attempt[]
}

/**
 * `epoch` names the current run of the log (it changes on reset and when Redis lost the
 * log), since a reset replays the seed and so makes the same webhookIds again.
 */
export function claimAttempts(
  link: RedisLink,
  instance: string,
  epoch: () => string,
  timeoutMs: number,
  replication: () => Replication | undefined,
): NonNullable<QueueDeps['claim']> {
  // As long as an attempt may take: two sends with the duplicate fault.
  const inFlightSeconds = Math.ceil((2 * timeoutMs) / 1000) + CLAIM_MARGIN_SECONDS
  return async (d, n) => {
    const at = epoch()
    const key = `${link.prefix}webhook:${at}:${d.webhookId}:${n}`
    if ((await link.client.set(key, instance, 'EX', inFlightSeconds, 'NX')) !== 'OK') return undefined
    return async (made) => {
      const log = replication()
      if (!log) throw new Error('the namespace is not joined yet')
      const body: AttemptRecord = { epoch: at, webhookId: d.webhookId, n, made }
      await log.submit(RECORD_ATTEMPTS, { params: {}, query: {}, body, url: '' })
      await link.client.set(key, 'done', 'EX', DONE_TTL_SECONDS)
    }
  }
}

/** Applies a record on this instance, whoever made the attempts. */
export function recordAttempts(epoch: () => string): Handler {
  return ({ body }, state) => {
    const r = body as AttemptRecord
    if (r.epoch === epoch()) state.webhooks.record(r.webhookId, r.n, r.made)
    return { status: 204 }
  }
}
