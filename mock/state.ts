/**
 * One mock instance's dependencies, created once and passed explicitly to every
 * middleware and handler: spec, validators, clock, store, tokens, journal.
 */
import { loadSpec, type SpecIndex } from '../openapi/load.ts'
import { createValidator, type Validator } from '../openapi/validator.ts'
import { createClock, type Clock } from './clock.ts'
import { createRng } from './rng.ts'
import { createJournal, type Journal } from './journal.ts'
import { createLimitRegistry, type LimitRegistry } from './limits/registry.ts'
import { checkRule, createFaultRules, type FaultRules } from './faults/rules.ts'
import { createTokenStore, type TokenRecord, type TokenStore } from './auth/tokens.ts'
import { createAppRegistry, type AppRegistry } from './auth/apps.ts'
import { createGrantStore, type GrantStore } from './auth/grants.ts'
import { createMemoryStore } from './store/memory.ts'
import type { Store } from './store/types.ts'
import type { MockOptions } from './options.ts'
import { createViolationLog, type ViolationLog } from './contract/violations.ts'
import { createWebhooks, type Webhooks } from './webhooks/webhooks.ts'
import { loadState, readStateFile } from './state-file.ts'
import type { Replication } from './replication/types.ts'

export interface SelfCheckFailure {
  method: string
  path: string
  operationId: string
  status: number
  errors: string[]
}

export interface MockState {
  options: MockOptions
  spec: SpecIndex
  validator: Validator
  clock: Clock
  store: Store
  tokens: TokenStore
  /** Marketplace apps (OAuth clients): the default app, the configured ones, those added through the control API. */
  apps: AppRegistry
  /** OAuth authorization codes, refresh tokens and installs. */
  grants: GrantStore
  /** Every scope the spec names (Contacts and OAuth), read from its security requirements. */
  allScopes: string[]
  journal: Journal
  /** Every scope the Contacts spec names, read from its security requirements. */
  contactScopes: string[]
  /** One all-scopes Private Integration Token per seeded location, re-issued on reset. */
  defaultTokens: LocationToken[]
  selfCheckFailures: SelfCheckFailure[]
  /** Wall-clock start, for the health check's uptime (the mock clock may be frozen). */
  startedAt: number
  /** Strict mode (consumer contract): switched at start or through the control API. */
  strict: { enabled: boolean; violations: ViolationLog }
  /** Rate limits in force and their counters. */
  limits: LimitRegistry
  /** Fault rules (control API, scenario files). */
  faults: FaultRules
  /** Webhook subscriptions, signing and the delivery queue. */
  webhooks: Webhooks
  /**
   * The shared Redis (`--store redis://…`); absent for the memory store. Closed with the
   * server. Typed narrowly so the package's public types do not pull in ioredis's.
   */
  redis?: { prefix: string; close(): Promise<void> }
  /** With `--store redis://…`: every write goes through the namespace's log, applied by every instance (docs/redis.md). */
  replication?: Replication
  /** Waits for latency faults. */
  sleep(ms: number): Promise<void>
  /**
   * Back to the start state: data, tokens, apps, grants, journal, fault rules (those the mock
   * started with), limits, clock, strict mode and its violations, and every option a scenario
   * changed at run time. `overrides` change the data setup for this and later resets.
   */
  reset(overrides?: Partial<Pick<MockOptions, 'seed' | 'locations' | 'contacts'>>): Promise<void>
}

/** A Location token: its locationId is always there. */
export type LocationToken = TokenRecord & { locationId: string }

export function contactScopesOf(spec: SpecIndex): string[] {
  return [...new Set(spec.operations.filter((op) => op.api === 'contacts').flatMap((op) => op.scopes))].sort()
}

export function allScopesOf(spec: SpecIndex): string[] {
  return [...new Set(spec.operations.flatMap((op) => op.scopes))].sort()
}

export async function issueDefaultTokens(state: Pick<MockState, 'store' | 'tokens' | 'contactScopes'>): Promise<LocationToken[]> {
  const locations = await state.store.listLocations()
  // Issued with a locationId, so the stored record (the same object) has one.
  return locations.map(
    (loc) =>
      state.tokens.issue({ kind: 'pit', userType: 'Location', locationId: loc.id, companyId: loc.companyId, scopes: state.contactScopes }) as LocationToken,
  )
}

export async function createMockState(options: MockOptions): Promise<MockState> {
  const spec = loadSpec()
  const operationIds = spec.operations.map((op) => op.operationId)
  // Every bad start rule at once, not the first one only; before joining Redis, so a refused start leaves no connection behind.
  const problems = options.faults.flatMap((rule, i) => checkRule(rule, operationIds).map((p) => `faults[${i}]: ${p}`))
  if (problems.length > 0) throw new Error(`fault rules: ${problems.join('; ')}`)
  // Loaded only with --store, so the memory path never loads ioredis.
  const baseClock = options.clock ?? createClock()
  const joined = options.store ? await (await import('./replication/log.ts')).joinNamespace(options, baseClock) : undefined
  const clock = joined?.clock ?? baseClock
  // What reset() returns to; run-time changes (scenarios, control API) only touch state.options.
  const start = { ...options, faults: structuredClone(options.faults) }
  const seedOptions = { seed: options.seed, locations: options.locations, contacts: options.contacts }
  let tokenRng = createRng(`${options.seed}:tokens`)
  const tokens = createTokenStore({ clock, rng: { next: () => tokenRng.next(), id: (n) => tokenRng.id(n) } })
  const store = createMemoryStore({ clock, seed: seedOptions, seeder: options.seeder, onSeedProgress: options.onSeedProgress })
  const apps = createAppRegistry({
    seed: options.seed,
    allScopes: allScopesOf(spec),
    definitions: options.apps,
    defaultRedirectUris: options.defaultRedirectUris,
  })
  const grants = createGrantStore({ clock, seed: options.seed })
  // With --store, what instances record (journal, violations, fault counters) is kept in Redis too.
  const records = joined ? (await import('./redis/records.ts')).sharedRecords(joined, options) : undefined
  const localFaults = createFaultRules(options.seed, operationIds)
  const faults = records ? records.faults(localFaults) : localFaults
  const strict = { enabled: options.strict, violations: records?.violations ?? createViolationLog() }
  const webhooks = createWebhooks({
    clock,
    seed: options.seed,
    store,
    apps,
    grants,
    faults,
    strict,
    fetch: options.fetch,
    claim: joined?.claimWebhookAttempt,
    capacity: options.journalSize,
    options: { urls: options.webhooks, legacySignature: options.legacySignature, keyPem: options.webhookKeyPem, timeoutMs: options.webhookTimeoutMs },
  })
  const state: MockState = {
    options,
    spec,
    validator: createValidator(spec),
    clock,
    store,
    tokens,
    journal: records?.journal ?? createJournal(options.journalSize),
    contactScopes: contactScopesOf(spec),
    apps,
    grants,
    allScopes: allScopesOf(spec),
    defaultTokens: [],
    selfCheckFailures: [],
    startedAt: Date.now(),
    strict,
    limits: createLimitRegistry(options.rateLimit, joined?.counters),
    redis: joined?.redis,
    faults,
    webhooks,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    async reset(overrides = {}) {
      const data = { seed: state.options.seed, locations: state.options.locations, contacts: state.options.contacts }
      Object.assign(start, data, Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)))
      Object.assign(state.options, start, { faults: structuredClone(start.faults) })
      const { seed, locations, contacts } = state.options
      await store.reset({ seed, locations, contacts })
      tokens.clear()
      tokenRng = createRng(`${seed}:tokens`)
      state.apps.reset(seed)
      state.grants.reset(seed)
      state.defaultTokens = await issueDefaultTokens(state)
      await state.journal.clear()
      state.limits.defaults = state.options.rateLimit
      state.limits.overrides.clear()
      await state.limits.counters.reset()
      state.faults.reset(seed)
      for (const rule of state.options.faults) state.faults.add(rule)
      clock.reset()
      state.strict.enabled = state.options.strict
      await state.strict.violations.clear()
      state.webhooks.reset(seed)
    },
  }
  for (const rule of options.faults) state.faults.add(rule)
  state.defaultTokens = await issueDefaultTokens(state)
  if (options.stateFile) await loadState(state, readStateFile(state, options.stateFile))
  if (joined) {
    try {
      state.replication = await joined.start(state)
    } catch (err) {
      await joined.redis.close()
      throw err
    }
  }
  return state
}
