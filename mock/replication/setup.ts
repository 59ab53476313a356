/**
 * Joining a namespace: the first instance records the options its state is built from
 * (SET NX); a later instance must match them, or replaying the log would build another
 * state under the same name. A mismatch stops the start with the options that differ.
 * The record names the run: when Redis loses its data (a restart without persistence)
 * the record goes with the log, and an instance that finds another run, or none, starts
 * over (mock/replication/log.ts).
 */
import { randomUUID } from 'node:crypto'
import type { RedisLink } from '../redis/connection.ts'
import type { MockOptions } from '../options.ts'

/** The options that decide the seeded state and how logged commands play out. */
const DETERMINING = [
  'seed',
  'locations',
  'contacts',
  'scenarios',
  'faults',
  'apps',
  'defaultRedirectUris',
  'rateLimit',
  'accessTokenTtlSeconds',
  'authCodeTtlSeconds',
  'strict',
  'webhooks',
] as const

export function setupOf(options: MockOptions): Record<string, unknown> {
  return Object.fromEntries(DETERMINING.map((key) => [key, options[key] ?? null]))
}

export const setupKey = (link: Pick<RedisLink, 'prefix'>) => `${link.prefix}setup`

/** The run of the namespace read from its setup record (undefined: there is none). */
export const runOf = (stored: string | null) => (stored === null ? undefined : (JSON.parse(stored) as { run?: string }).run)

/** Joins the namespace (claiming it when nobody has) and returns its run id. */
export async function claimNamespace(link: RedisLink, namespace: string, mine: Record<string, unknown>): Promise<string> {
  const key = setupKey(link)
  const run = randomUUID()
  if ((await link.client.set(key, JSON.stringify({ run, options: mine }), 'NX')) === 'OK') return run
  const stored = await link.client.get(key)
  if (stored === null) return claimNamespace(link, namespace, mine)
  const record = JSON.parse(stored) as { run: string; options: Record<string, unknown> }
  const theirs = record.options
  const differ = DETERMINING.filter((k) => JSON.stringify(theirs[k] ?? null) !== JSON.stringify(mine[k]))
  if (differ.length === 0) return record.run
  const show = (v: unknown) => JSON.stringify(v).slice(0, 60)
  throw new Error(
    `namespace "${namespace}" on this Redis was started with other options (${differ.map((k) => `${k}: ${show(theirs[k])} there, ${show(mine[k])} here`).join('; ')}); ` +
      'start with the same options to join it, or choose another --namespace',
  )
}
