/**
 * Joining a namespace: the first instance records the options its state is built from
 * (SET NX); a later instance must match them, or replaying the log would build another
 * state under the same name. A mismatch stops the start with the options that differ.
 */
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

export async function claimNamespace(link: RedisLink, namespace: string, options: MockOptions): Promise<void> {
  const mine = setupOf(options)
  const key = `${link.prefix}setup`
  if ((await link.client.set(key, JSON.stringify(mine), 'NX')) === 'OK') return
  const stored = await link.client.get(key)
  if (stored === null) return claimNamespace(link, namespace, options)
  const theirs = JSON.parse(stored) as Record<string, unknown>
  const differ = DETERMINING.filter((k) => JSON.stringify(theirs[k] ?? null) !== JSON.stringify(mine[k]))
  if (differ.length === 0) return
  const show = (v: unknown) => JSON.stringify(v).slice(0, 60)
  throw new Error(
    `namespace "${namespace}" on this Redis was started with other options (${differ.map((k) => `${k}: ${show(theirs[k])} there, ${show(mine[k])} here`).join('; ')}); ` +
      'start with the same options to join it, or choose another --namespace',
  )
}
