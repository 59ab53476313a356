/**
 * Every instance applies the same commands, so every instance makes the same webhook
 * deliveries (same webhookId). The first instance to send one claims it in Redis and
 * makes all its attempts; the others record it as sent without sending, so a receiver
 * gets each delivery once however many instances there are.
 */
import type { RedisLink } from '../redis/connection.ts'

type Fetch = (url: string, init: RequestInit) => Promise<Response>

/** Claims live as long as the longest retry schedule, with room to spare. */
const CLAIM_TTL_SECONDS = 7 * 24 * 3600

// KEYS: claim. ARGV: instance, ttl. Returns the owner.
const CLAIM = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2]) then return ARGV[1] end
return redis.call('GET', KEYS[1])
`

function webhookIdOf(body: RequestInit['body']): string | undefined {
  if (typeof body !== 'string') return undefined
  try {
    const id = (JSON.parse(body) as { webhookId?: unknown }).webhookId
    return typeof id === 'string' ? id : undefined
  } catch {
    return undefined
  }
}

/**
 * `epoch` names the current run of the log (it changes on reset), since a reset replays
 * the seed and so makes the same webhookIds again.
 */
export function sendOnce(link: RedisLink, instance: string, epoch: () => string, inner?: Fetch): Fetch {
  const send: Fetch = inner ?? ((url, init) => fetch(url, init))
  return async (url, init) => {
    const id = webhookIdOf(init.body)
    if (id === undefined) return send(url, init)
    const owner = await link.client.eval(CLAIM, 1, `${link.prefix}webhook:${epoch()}:${id}`, instance, CLAIM_TTL_SECONDS)
    if (owner !== instance) return new Response(null, { status: 200, headers: { 'x-mock-sent-by': String(owner) } })
    return send(url, init)
  }
}
