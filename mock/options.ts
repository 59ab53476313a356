/**
 * Everything a mock instance can be told, with defaults. The CLI, environment and
 * scenario files all end up as one MockOptions object.
 */
import type { Clock } from './clock.ts'
import type { Seeder } from './seed/generate.ts'
import { GHL_LIMITS, type RateLimitSetting } from './limits/policy.ts'
import type { FaultRuleInput } from './faults/rules.ts'
import type { AppDefinition } from './auth/apps.ts'
import { defaultControlAccess, type ControlAccess } from './pipeline/control-guard.ts'
import { checkRedisUrl } from './redis/url.ts'

export interface MockOptions {
  seed: number | string
  locations: number
  contacts: number
  /** Injected by tests; a running clock at real time otherwise. */
  clock?: Clock
  /** Shared by tests and the bench across the instances they start (seeding the same seed again is then cheaper); one per store otherwise. */
  seeder?: Seeder
  /** Bodies larger than this get 413. */
  bodyLimitBytes: number
  journalSize: number
  /** Validate every response the mock sends against the spec and record failures. */
  selfCheck: boolean
  /** Lifetime of OAuth access tokens (`expires_in`); the real API uses 86399. */
  accessTokenTtlSeconds: number
  /** Lifetime of OAuth authorization codes in seconds of mock time (one-time codes). */
  authCodeTtlSeconds: number
  /** Marketplace apps to register at start and after every reset (the `--apps` file), besides the default app. */
  apps?: AppDefinition[]
  /** Redirect URIs of the default app (default: http://localhost:3000/oauth/callback). */
  defaultRedirectUris?: string[]
  /** Strict mode: record every consumer-contract violation (GET /__mock/contract/violations). */
  strict: boolean
  /** Burst and daily limits for every app (per resource); false turns them off. */
  rateLimit: RateLimitSetting
  /** Send Retry-After on 429 (the real API documents none). */
  retryAfter: boolean
  /** Honour the X-Mock-Fault request header (--no-fault-headers turns it off). */
  faultHeaders: boolean
  /** Fault rules to install at start (scenario files add theirs here). */
  faults: FaultRuleInput[]
  /** Scenario names or files applied at start, in order. */
  scenarios: string[]
  /** Who may call the control API (/__mock/*): admin token, Host check, CORS origins. */
  control: ControlAccess
  /** A saved state (GET /__mock/state) to load at start, after the seed and scenarios (`--state`). */
  stateFile?: string
  /** How latency faults wait; tests inject one that doesn't. */
  sleep?: (ms: number) => Promise<void>
  /** Told every SEED_PROGRESS_STEP contacts while seeding (start and reset); the CLI prints it for big seeds. */
  onSeedProgress?: (contacts: number, total: number) => void
  /** --webhook: URLs that receive every webhook event. */
  webhooks: string[]
  /** --legacy-signature: also sign webhooks with RSA in x-wh-signature. */
  legacySignature: boolean
  /** --webhook-key: PEM private key(s) (Ed25519, RSA for the legacy signature) instead of the seed-derived key. */
  webhookKeyPem?: string
  /** --webhook-timeout: how long one delivery attempt may take (real ms). */
  webhookTimeoutMs: number
  /** --store redis://host:port/db: answer as one API with every instance on that Redis (docs/redis.md); memory when absent. */
  store?: string
  /** --namespace: key prefix in Redis, so several mocks can share one Redis apart (default: ghl-mock:<seed>). */
  namespace?: string
  /** How webhooks are sent; tests may inject one. */
  fetch?: (url: string, init: RequestInit) => Promise<Response>
}

export const defaultOptions: MockOptions = {
  seed: 1,
  locations: 2,
  contacts: 200,
  bodyLimitBytes: 1024 * 1024,
  journalSize: 5000,
  selfCheck: false,
  accessTokenTtlSeconds: 86399,
  authCodeTtlSeconds: 600,
  strict: false,
  rateLimit: GHL_LIMITS,
  retryAfter: false,
  faultHeaders: true,
  faults: [],
  scenarios: [],
  webhooks: [],
  legacySignature: false,
  webhookTimeoutMs: 10_000,
  control: defaultControlAccess,
}

export function resolveOptions(partial: Partial<MockOptions> = {}): MockOptions {
  const merged = { ...defaultOptions, ...Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)) }
  merged.control = { ...defaultControlAccess, ...partial.control }
  for (const key of ['locations', 'contacts'] as const) {
    const n = merged[key]
    if (!Number.isInteger(n) || n < (key === 'locations' ? 1 : 0) || n > 100_000) {
      throw new Error(`${key} must be a whole number between ${key === 'locations' ? 1 : 0} and 100000 (got ${n})`)
    }
  }
  if (merged.store !== undefined) {
    checkRedisUrl(merged.store)
    // A state file would load into this instance alone, outside the log the others apply.
    if (merged.stateFile !== undefined)
      throw new Error('--state cannot be used with --store redis://: load it into one instance with PUT /__mock/state, which every instance applies')
  }
  return merged
}

/** The Redis key namespace: the one given, or one per seed (instances with one seed form one API). */
export const namespaceOf = (options: Pick<MockOptions, 'namespace' | 'seed'>) => options.namespace ?? `ghl-mock:${options.seed}`
