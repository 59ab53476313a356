/**
 * Marketplace apps (OAuth clients): registered from a config file (`--apps`), through
 * the control API, and one default app that always exists. Client ids and secrets are
 * drawn from the run's seed, so the same seed prints the same default app every time.
 */
import { readJsonFile } from '../json-file.ts'
import { createRng, type Rng } from '../rng.ts'
import { subscriptionErrors } from '../webhooks/subscriptions.ts'
import type { WebhookEventType } from '../webhooks/events.ts'

/** Who can install the app: a sub-account (Location) only, or an agency (Company) and its sub-accounts. */
export type Distribution = 'Location' | 'Company'
/** What the simulated user answers on the consent page. */
export type Consent = 'approve' | 'deny'

export interface App {
  /** `<appId>-<suffix>`, the shape of HighLevel's client ids. */
  clientId: string
  clientSecret: string
  /** The marketplace app id (the part of the client id before the dash). */
  appId: string
  versionId: string
  name: string
  /** Exact-match list: the consent page refuses any other redirect_uri. */
  redirectUris: string[]
  /** The scopes the app may ask for; a request for more is refused on the consent page. */
  scopes: string[]
  distribution: Distribution
  consent: Consent
  /** default: created by the mock; config: from the apps file; control: POST /__mock/apps. */
  source: 'default' | 'config' | 'control'
  /** Where the app's webhooks go (events of the locations it is installed in, INSTALL and UNINSTALL). */
  webhookUrl?: string
  /** Only these webhook events; absent: all. */
  events?: WebhookEventType[]
}

export interface AppDefinition {
  clientId?: string
  clientSecret?: string
  name?: string
  redirectUris: string[]
  scopes?: string[]
  distribution?: Distribution
  consent?: Consent
  webhookUrl?: string
  events?: string[]
}

export type AppPatch = Partial<Pick<App, 'clientSecret' | 'name' | 'redirectUris' | 'scopes' | 'distribution' | 'consent' | 'webhookUrl' | 'events'>>

export interface AppRegistry {
  register(definition: AppDefinition, source?: App['source']): App
  get(clientId: string): App | undefined
  update(clientId: string, patch: AppPatch): App | undefined
  list(): App[]
  /** The app created at start (and after every reset) from the seed. */
  readonly defaultApp: App
  /** Back to the default app and the configured apps; apps added through the control API are dropped. */
  reset(seed: number | string): void
  /** Replace every app with these (a loaded state file); the one with source "default" becomes the default app. */
  restore(apps: App[]): void
}

export const DEFAULT_REDIRECT_URIS = ['http://localhost:3000/oauth/callback']

const HEX = '0123456789abcdef'
const LOWER = 'abcdefghijklmnopqrstuvwxyz0123456789'
const pick = (rng: Rng, alphabet: string, n: number) => Array.from({ length: n }, () => alphabet[Math.floor(rng.next() * alphabet.length)]).join('')
const uuid = (rng: Rng) => {
  const h = pick(rng, HEX, 32)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`
}

/**
 * Checks one app definition; returns every problem, phrased for a person editing the file.
 * With `knownScopes` (the spec's), a scope the API doesn't know is a problem: the app could
 * never be granted it.
 */
export function appDefinitionErrors(value: unknown, where = 'app', knownScopes?: readonly string[]): string[] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [`${where} must be an object`]
  const v = value as Record<string, unknown>
  const errors: string[] = []
  const allowed = new Set(['clientId', 'clientSecret', 'name', 'redirectUris', 'scopes', 'distribution', 'consent', 'webhookUrl', 'events'])
  for (const key of Object.keys(v)) if (!allowed.has(key)) errors.push(`${where}: unknown property "${key}" (allowed: ${[...allowed].join(', ')})`)
  for (const key of ['clientId', 'clientSecret', 'name'] as const) {
    if (v[key] !== undefined && (typeof v[key] !== 'string' || (v[key] as string).trim() === '')) errors.push(`${where}.${key} must be a non-empty string`)
  }
  if (typeof v.clientId === 'string' && /[\s/?#&]/.test(v.clientId)) errors.push(`${where}.clientId must not contain spaces, /, ?, # or &`)
  if (!Array.isArray(v.redirectUris) || v.redirectUris.length === 0) {
    errors.push(`${where}.redirectUris must be a non-empty array of absolute URLs`)
  } else {
    v.redirectUris.forEach((uri, i) => {
      if (typeof uri !== 'string' || !URL.canParse(uri)) errors.push(`${where}.redirectUris[${i}] must be an absolute URL (got ${JSON.stringify(uri)})`)
    })
  }
  if (v.scopes !== undefined) {
    if (!Array.isArray(v.scopes) || v.scopes.length === 0) errors.push(`${where}.scopes must be a non-empty array of scope names`)
    else
      v.scopes.forEach((s, i) => {
        if (typeof s !== 'string' || !/^[A-Za-z][\w.\-/]*$/.test(s))
          errors.push(`${where}.scopes[${i}] must be a scope name such as contacts.readonly (got ${JSON.stringify(s)})`)
        else if (knownScopes && !knownScopes.includes(s))
          errors.push(`${where}.scopes[${i}] "${s}" is not a scope the API knows (known: ${knownScopes.join(', ')})`)
      })
  }
  if (v.distribution !== undefined && v.distribution !== 'Location' && v.distribution !== 'Company')
    errors.push(`${where}.distribution must be "Location" or "Company"`)
  if (v.consent !== undefined && v.consent !== 'approve' && v.consent !== 'deny') errors.push(`${where}.consent must be "approve" or "deny"`)
  errors.push(...subscriptionErrors({ url: v.webhookUrl, events: v.events }, where).map((e) => e.replace(`${where}.url`, `${where}.webhookUrl`)))
  return errors
}

/** Validates the content of an apps file: an array of app definitions (or `{ "apps": [...] }`). */
export function parseAppDefinitions(value: unknown, source = 'apps', knownScopes?: readonly string[]): AppDefinition[] {
  const list = value && typeof value === 'object' && !Array.isArray(value) && 'apps' in value ? (value as { apps: unknown }).apps : value
  if (!Array.isArray(list)) throw new Error(`${source}: expected an array of apps (or {"apps": [...]})`)
  const errors = list.flatMap((app, i) => appDefinitionErrors(app, `apps[${i}]`, knownScopes))
  const ids = list.map((a) => (a as AppDefinition)?.clientId).filter(Boolean)
  for (const id of new Set(ids)) if (ids.filter((x) => x === id).length > 1) errors.push(`clientId "${id}" appears more than once`)
  if (errors.length > 0) throw new Error(`${source} is invalid:\n  - ${errors.join('\n  - ')}`)
  return list as AppDefinition[]
}

/** Reads and validates an apps file (JSON). Throws a readable error, so the CLI can stop before listening. */
export function loadAppsFile(path: string, knownScopes?: readonly string[]): AppDefinition[] {
  return parseAppDefinitions(readJsonFile(path, 'apps file'), `apps file ${path}`, knownScopes)
}

export interface AppRegistryOptions {
  seed: number | string
  /** Scopes of the default app (and of apps defined without `scopes`): every scope the spec names. */
  allScopes: string[]
  /** Apps from the config file; registered again on every reset. */
  definitions?: AppDefinition[]
  /** Redirect URIs of the default app. */
  defaultRedirectUris?: string[]
}

export function createAppRegistry(options: AppRegistryOptions): AppRegistry {
  const definitions = parseAppDefinitions(options.definitions ?? [], 'apps option', options.allScopes)
  const apps = new Map<string, App>()
  let rng = createRng(`${options.seed}:apps`)
  let defaultClientId = ''

  const register: AppRegistry['register'] = (definition, source = 'control') => {
    const errors = appDefinitionErrors(definition, 'app', options.allScopes)
    if (errors.length > 0) throw new Error(errors.join('; '))
    // Draw the generated parts even when given, so one app's explicit id does not shift the next app's.
    const appId = pick(rng, HEX, 24)
    const suffix = pick(rng, LOWER, 8)
    const secret = uuid(rng)
    const versionId = pick(rng, HEX, 24)
    const clientId = definition.clientId ?? `${appId}-${suffix}`
    if (apps.has(clientId)) throw new Error(`an app with clientId ${clientId} already exists`)
    const app: App = {
      clientId,
      clientSecret: definition.clientSecret ?? secret,
      appId: clientId.includes('-') ? clientId.slice(0, clientId.indexOf('-')) : clientId,
      versionId,
      name: definition.name ?? (source === 'default' ? 'Mock default app' : `App ${clientId}`),
      redirectUris: [...definition.redirectUris],
      scopes: [...new Set(definition.scopes ?? options.allScopes)],
      distribution: definition.distribution ?? 'Location',
      consent: definition.consent ?? 'approve',
      source,
      ...(definition.webhookUrl && { webhookUrl: definition.webhookUrl }),
      // Checked by appDefinitionErrors before we get here.
      ...(definition.events && { events: [...new Set(definition.events)] as WebhookEventType[] }),
    }
    apps.set(clientId, app)
    return structuredClone(app)
  }

  const populate = () => {
    apps.clear()
    defaultClientId = register(
      { name: 'Mock default app', redirectUris: options.defaultRedirectUris ?? DEFAULT_REDIRECT_URIS, scopes: options.allScopes, distribution: 'Company' },
      'default',
    ).clientId
    for (const d of definitions) register(d, 'config')
  }
  populate()

  return {
    register,
    get: (clientId) => {
      const app = apps.get(clientId)
      return app && structuredClone(app)
    },
    update(clientId, patch) {
      const app = apps.get(clientId)
      if (!app) return undefined
      const next = { ...app, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) }
      const errors = appDefinitionErrors(
        {
          clientId: next.clientId,
          clientSecret: next.clientSecret,
          name: next.name,
          redirectUris: next.redirectUris,
          scopes: next.scopes,
          distribution: next.distribution,
          consent: next.consent,
          webhookUrl: next.webhookUrl,
          events: next.events,
        },
        'app',
        options.allScopes,
      )
      if (errors.length > 0) throw new Error(errors.join('; '))
      apps.set(clientId, next)
      return structuredClone(next)
    },
    list: () => [...apps.values()].map((a) => structuredClone(a)),
    get defaultApp() {
      return structuredClone(apps.get(defaultClientId)!)
    },
    reset(seed) {
      rng = createRng(`${seed}:apps`)
      populate()
    },
    restore(list) {
      apps.clear()
      for (const app of list) apps.set(app.clientId, structuredClone(app))
      defaultClientId = list.find((a) => a.source === 'default')?.clientId ?? defaultClientId
    },
  }
}
