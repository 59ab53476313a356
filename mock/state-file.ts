/**
 * A mock's whole state as one JSON document (GET/PUT /__mock/state, `--state <file>`):
 * data, tokens, apps, OAuth grants, fault rules, limits, clock. QA attaches it to a bug
 * and anyone replays the bug from it. A document is checked in full before anything
 * changes, and every problem is listed, phrased for the person editing the file.
 */
import { readJsonFile } from './json-file.ts'
import type { components } from '../openapi/generated/control.ts'
import { appDefinitionErrors, type App } from './auth/apps.ts'
import type { GrantDump } from './auth/grants.ts'
import type { TokenRecord } from './auth/tokens.ts'
import { checkRule, type FaultRule } from './faults/rules.ts'
import type { RateLimitSetting } from './limits/policy.ts'
import type { LocationToken, MockState } from './state.ts'
import type { StoreData } from './store/types.ts'
import { subscriptionErrors, type Subscription } from './webhooks/subscriptions.ts'

type RateLimitView = components['schemas']['RateLimitView']

/** The schema's shape, with the records typed as the mock keeps them. */
export type StateFile = Omit<components['schemas']['MockStateFile'], 'data' | 'tokens' | 'apps' | 'grants' | 'webhooks' | 'faults'> & {
  data: StoreData
  tokens: TokenRecord[]
  apps: App[]
  grants: GrantDump
  webhooks: Subscription[]
  faults: FaultRule[]
}

const viewOf = (s: RateLimitSetting): RateLimitView => (s ? { ...s, off: false } : { off: true })
const settingOf = (v: RateLimitView): RateLimitSetting => (v.off ? false : { burst: v.burst!, windowMs: v.windowMs!, daily: v.daily! })

export async function exportState(state: MockState): Promise<StateFile> {
  const now = state.clock.now()
  return {
    format: 'ghl-mock-state',
    version: 1,
    exportedAt: new Date(now).toISOString(),
    seed: state.options.seed,
    settings: {
      strict: state.strict.enabled,
      retryAfter: state.options.retryAfter,
      faultHeaders: state.options.faultHeaders,
      accessTokenTtlSeconds: state.options.accessTokenTtlSeconds,
    },
    clock: { epochMs: now, frozen: state.clock.frozen },
    data: await state.store.exportData(),
    tokens: state.tokens.list(),
    defaultTokens: state.defaultTokens.map((t) => t.token),
    apps: state.apps.list(),
    grants: state.grants.dump(),
    webhooks: state.webhooks.subscriptions.list(),
    faults: await state.faults.read(),
    limits: {
      defaults: viewOf(state.limits.defaults),
      apps: Object.fromEntries([...state.limits.overrides].map(([app, s]) => [app, viewOf(s)])),
    },
  }
}

function duplicates(ids: string[]): string[] {
  const seen = new Set<string>()
  const twice = new Set<string>()
  for (const id of ids) (seen.has(id) ? twice : seen).add(id)
  return [...twice]
}

/** What the schema cannot say: references between records, unique ids, rule and limit sanity. */
export function consistencyProblems(file: StateFile, operationIds: readonly string[]): string[] {
  const problems: string[] = []
  const { data } = file
  const locations = new Set(data.locations.map((l) => l.id))
  const contacts = new Map(data.contacts.map((c) => [c.id, c]))
  const clients = new Set(file.apps.map((a) => a.clientId))
  for (const [what, list] of [
    ['data.locations', data.locations],
    ['data.contacts', data.contacts],
    ['data.tasks', data.tasks],
    ['data.notes', data.notes],
    ['data.appointments', data.appointments],
    ['faults', file.faults],
  ] as const) {
    for (const id of duplicates(list.map((r) => r.id))) problems.push(`${what}: id "${id}" appears more than once`)
  }
  data.contacts.forEach((c, i) => {
    if (!locations.has(c.locationId)) problems.push(`data.contacts[${i}] (${c.id}): location "${c.locationId}" is not in data.locations`)
  })
  for (const kind of ['tasks', 'notes', 'appointments'] as const) {
    data[kind].forEach((r, i) => {
      const owner = contacts.get(r.contactId)
      if (!owner) problems.push(`data.${kind}[${i}] (${r.id}): contact "${r.contactId}" is not in data.contacts`)
      else if (owner.locationId !== r.locationId)
        problems.push(`data.${kind}[${i}] (${r.id}): locationId "${r.locationId}" differs from its contact's ("${owner.locationId}")`)
    })
  }
  for (const t of duplicates(file.tokens.map((t) => t.token))) problems.push(`tokens: "${t}" appears more than once`)
  file.tokens.forEach((t, i) => {
    if (t.locationId !== undefined && !locations.has(t.locationId)) problems.push(`tokens[${i}]: location "${t.locationId}" is not in data.locations`)
    if (t.userType === 'Location' && t.locationId === undefined) problems.push(`tokens[${i}]: a Location token needs a locationId`)
  })
  const byToken = new Map(file.tokens.map((t) => [t.token, t]))
  file.defaultTokens.forEach((t, i) => {
    if (!byToken.has(t)) problems.push(`defaultTokens[${i}]: "${t}" is not in tokens`)
    else if (byToken.get(t)!.locationId === undefined) problems.push(`defaultTokens[${i}]: "${t}" is not a Location token`)
  })
  file.apps.forEach((a, i) => {
    problems.push(
      ...appDefinitionErrors(
        {
          clientId: a.clientId,
          clientSecret: a.clientSecret,
          name: a.name,
          redirectUris: a.redirectUris,
          scopes: a.scopes,
          distribution: a.distribution,
          consent: a.consent,
        },
        `apps[${i}]`,
      ),
    )
  })
  for (const id of duplicates(file.apps.map((a) => a.clientId))) problems.push(`apps: clientId "${id}" appears more than once`)
  const defaults = file.apps.filter((a) => a.source === 'default').length
  if (defaults !== 1) problems.push(`apps: exactly one app must have source "default" (found ${defaults})`)
  for (const [kind, list] of [
    ['codes', file.grants.codes],
    ['refreshTokens', file.grants.refreshTokens],
    ['installs', file.grants.installs],
  ] as const) {
    list.forEach((g, i) => {
      if (!clients.has(g.clientId)) problems.push(`grants.${kind}[${i}]: app "${g.clientId}" is not in apps`)
    })
  }
  file.grants.installs.forEach((g, i) => {
    if (!locations.has(g.locationId)) problems.push(`grants.installs[${i}]: location "${g.locationId}" is not in data.locations`)
  })
  for (const id of duplicates(file.webhooks.map((w) => w.id))) problems.push(`webhooks: id "${id}" appears more than once`)
  file.webhooks.forEach((w, i) => {
    problems.push(...subscriptionErrors(w, `webhooks[${i}]`))
    if (w.locationId !== undefined && !locations.has(w.locationId)) problems.push(`webhooks[${i}]: location "${w.locationId}" is not in data.locations`)
  })
  file.faults.forEach((r, i) => {
    problems.push(...checkRule(r, operationIds).map((p) => `faults[${i}] (${r.id}): ${p}`))
  })
  const limits: Array<[string, RateLimitView]> = [
    ['limits.defaults', file.limits.defaults],
    ...Object.entries(file.limits.apps).map(([app, v]) => [`limits.apps["${app}"]`, v] as [string, RateLimitView]),
  ]
  for (const [where, v] of limits) {
    if (v.off) continue
    // The schema bounds each number; it cannot say they are required unless off is true.
    for (const key of ['burst', 'windowMs', 'daily'] as const) {
      if (v[key] === undefined) problems.push(`${where}.${key} is required unless off is true`)
    }
  }
  return problems
}

/** Every problem with a document, schema first (as PUT /__mock/state reports them), then consistency. */
export function stateFileProblems(state: Pick<MockState, 'spec' | 'validator'>, value: unknown): string[] {
  const op = state.spec.byId.get('importState')!
  const schema = state.validator.checkRequest(op, { params: {}, query: {}, body: value }).errors
  return schema.length > 0
    ? schema
    : consistencyProblems(
        value as StateFile,
        state.spec.operations.map((o) => o.operationId),
      )
}

/** Replaces the mock's state with a document that passed stateFileProblems. */
export async function loadState(state: MockState, file: StateFile): Promise<void> {
  state.options.seed = file.seed
  state.options.retryAfter = file.settings.retryAfter
  state.options.faultHeaders = file.settings.faultHeaders
  state.options.accessTokenTtlSeconds = file.settings.accessTokenTtlSeconds
  state.strict.enabled = file.settings.strict
  await state.strict.violations.clear()
  await state.store.importData(file.data)
  state.tokens.restore(file.tokens)
  state.defaultTokens = file.defaultTokens.map((t) => state.tokens.find(t) as LocationToken)
  state.apps.restore(file.apps)
  state.grants.restore(file.grants)
  state.webhooks.restore(file.webhooks)
  state.faults.restore(file.faults)
  state.limits.defaults = settingOf(file.limits.defaults)
  state.limits.overrides = new Map(Object.entries(file.limits.apps).map(([app, v]) => [app, settingOf(v)]))
  await state.limits.counters.reset()
  state.clock.set(file.clock.epochMs)
  if (!file.clock.frozen) state.clock.resume()
  await state.journal.clear()
}

/** Reads a state file for `--state`: a readable error (every problem listed) instead of a stack trace. */
export function readStateFile(state: Pick<MockState, 'spec' | 'validator'>, path: string): StateFile {
  const json = readJsonFile(path, 'state file')
  const problems = stateFileProblems(state, json)
  if (problems.length > 0) throw new Error(`state file ${path} is invalid:\n  - ${problems.join('\n  - ')}`)
  return json as StateFile
}
