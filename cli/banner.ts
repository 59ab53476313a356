/**
 * What `ghl-mock start` prints: where to reach the mock, what it is set up to do
 * (scenarios, limits, clock, strict mode), ready tokens and the default OAuth app, and a
 * loud warning when it listens beyond this machine (the control API has no auth).
 */
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os'
import type { MockState } from '../mock/state.ts'
import type { RateLimitSetting } from '../mock/limits/policy.ts'

type Interfaces = NodeJS.Dict<NetworkInterfaceInfo[]>

const WILDCARDS = new Set(['0.0.0.0', '::', '[::]', ''])

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\./.test(host)
}

const urlOf = (host: string, port: number) => `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`

/**
 * URLs a client can use. A wildcard address (0.0.0.0, ::) is not one: list loopback and
 * every non-internal IPv4 address of this machine instead.
 */
export function reachableUrls(host: string, port: number, interfaces: Interfaces = networkInterfaces()): string[] {
  if (!WILDCARDS.has(host)) return [urlOf(host, port)]
  const external = Object.values(interfaces)
    .flat()
    .filter((i): i is NetworkInterfaceInfo => !!i && i.family === 'IPv4' && !i.internal)
    .map((i) => urlOf(i.address, port))
  return [urlOf('127.0.0.1', port), ...external]
}

/** Printed to stderr when the mock listens on anything but loopback. */
export function exposureWarning(host: string, urls: string[]): string[] {
  if (isLoopback(host)) return []
  return [
    `!!! WARNING: ghl-mock is listening on ${WILDCARDS.has(host) ? 'every network interface' : host}, not only on this machine.`,
    '!!! The control API (/__mock/*) has NO authentication: anyone who can reach these URLs can read every',
    '!!! token, mint new ones, change limits and faults, and reset the data:',
    ...urls.map((u) => `!!!   ${u}/__mock/tokens`),
    '!!! Use --host 127.0.0.1 (the default) unless you mean this, and only on a network you trust.',
  ]
}

export function describeLimits(setting: RateLimitSetting): string {
  if (!setting) return 'off'
  const window = setting.windowMs % 1000 === 0 ? `${setting.windowMs / 1000} s` : `${setting.windowMs} ms`
  return `${setting.burst} requests per ${window} and ${setting.daily} per day, per app per location`
}

export function describeClock(state: Pick<MockState, 'clock'>, wallNow = Date.now()): string {
  const now = new Date(state.clock.now()).toISOString()
  if (state.clock.frozen) return `frozen at ${now} (POST /__mock/clock moves it)`
  return Math.abs(state.clock.now() - wallNow) < 1000 ? `real time (${now})` : `running from ${now}, not real time`
}

/** The lines about how the mock is set up: what a person checks before blaming their own code. */
export function setupLines(state: MockState): string[] {
  const rules = state.faults.list()
  const overrides = [...state.limits.overrides.keys()]
  return [
    `  scenarios    ${state.options.scenarios.length > 0 ? state.options.scenarios.join(', ') : 'none'}`,
    `  rate limits  ${describeLimits(state.limits.defaults)}${overrides.length ? ` (+ ${overrides.length} per-app overrides)` : ''}${state.options.retryAfter ? ', Retry-After on 429' : ''}`,
    `  fault rules  ${rules.length > 0 ? rules.map((r) => r.id).join(', ') : 'none'}${state.options.faultHeaders ? '; X-Mock-Fault header honoured' : ''}`,
    `  clock        ${describeClock(state)}`,
    `  strict mode  ${state.strict.enabled ? 'on (GET /__mock/contract/violations, ghl-mock report)' : 'off'}`,
  ]
}

/** The default app's credentials and an authorize URL to start the OAuth flow with (docs/auth.md). */
function appLines(state: MockState, url: string): string[] {
  const app = state.apps.defaultApp
  const others = state.apps.list().filter((a) => a.source !== 'default')
  const authorize = new URL('/oauth/chooselocation', url)
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: app.clientId,
    redirect_uri: app.redirectUris[0],
    scope: app.scopes.join(' '),
    state: 'xyz',
  }).toString()
  return [
    `OAuth default app (distribution ${app.distribution}, access tokens live ${state.options.accessTokenTtlSeconds} s):`,
    `  client_id      ${app.clientId}`,
    `  client_secret  ${app.clientSecret}`,
    `  redirect_uri   ${app.redirectUris.join(', ')}`,
    `  authorize      ${authorize}`,
    ...(others.length > 0 ? [`  + ${others.length} app(s) from the apps file: ${others.map((a) => a.clientId).join(', ')} (GET /__mock/apps)`] : []),
  ]
}

/** The whole start banner; `urls` are the ones a client can use (reachableUrls). */
export async function startBanner(state: MockState, urls: string[]): Promise<string[]> {
  const url = urls[0]
  const locations = await state.store.listLocations()
  const token = state.defaultTokens[0]
  return [
    `HighLevel Contacts API mock listening on ${urls.join(' , ')}`,
    `  seed         ${state.options.seed}, ${locations.length} locations × ${state.options.contacts} contacts`,
    ...setupLines(state),
    '',
    'Locations and ready tokens (Private Integration Tokens with all contacts scopes):',
    ...locations.map((l) => `  ${l.id}  ${l.name.padEnd(28)} ${state.defaultTokens.find((t) => t.locationId === l.id)?.token}`),
    '',
    'Try it:',
    `  curl -s -H "Authorization: Bearer ${token.token}" -H "Version: 2021-07-28" "${url}/contacts/?locationId=${token.locationId}&limit=2"`,
    '',
    ...appLines(state, url),
    '',
    `Webhooks: X-GHL-Signature (Ed25519${state.options.legacySignature ? ', and legacy RSA x-wh-signature' : ''}); put the public key in your .env:`,
    `  WEBHOOK_SIGNATURE_PUBLIC_KEY=${state.webhooks.signer.publicKeyRaw}`,
    ...state.webhooks.subscriptions.list().map((s) => `  → ${s.url} (every event)`),
    '',
    `In a browser: ${url}/docs (API reference), ${url}/__mock/ui (QA console; docs/console.md)`,
    `Control API: ${url}/__mock/health, /__mock/locations, /__mock/requests, /__mock/apps, /__mock/tokens (docs/control-api.md; OAuth walkthrough: docs/auth.md; webhooks: docs/webhooks.md)`,
    'Ctrl-C stops the server.',
  ]
}
