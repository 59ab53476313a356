/**
 * Bearer token → scope → user type → location/company, in the real API's order (scope
 * before location). What an operation needs is read from the spec, never from a list
 * kept here:
 *   - scopes: the operation's security requirements (op.scopes, from openapi/load.ts);
 *   - user types: the `x-ghl-user-types` extension of the security schemes those
 *     requirements name (Location when a scheme says nothing: the Contacts API's tokens
 *     are sub-account tokens; the OAuth endpoints' schemes say Company).
 */
import type { Context } from 'hono'
import { type HttpError, refuse } from '../errors.ts'
import type { MockEnv } from '../env.ts'
import type { MockState } from '../state.ts'
import type { Operation, SpecIndex } from '../../openapi/load.ts'
import type { TokenRecord, UserType } from '../auth/tokens.ts'
import type { Contact } from '../store/types.ts'
import type { Step } from './compose.ts'
import { andThen } from '../then.ts'

const DEFAULT_USER_TYPES: UserType[] = ['Location']

/** The user types an operation accepts, from the `x-ghl-user-types` of its security schemes. */
export function userTypesOf(spec: SpecIndex, op: Operation): UserType[] {
  const doc = spec.documents.find((d) => d.name === op.api)?.doc
  const raw = doc?.paths?.[op.path]?.[op.method]
  const security: Array<Record<string, string[]>> = raw?.security ?? doc?.security ?? []
  const schemes = doc?.components?.securitySchemes ?? {}
  const types = new Set<UserType>()
  for (const requirement of security) {
    for (const name of Object.keys(requirement)) {
      const declared = schemes[name]?.['x-ghl-user-types'] as UserType[] | undefined
      for (const t of declared ?? DEFAULT_USER_TYPES) types.add(t)
    }
  }
  return types.size > 0 ? [...types] : DEFAULT_USER_TYPES
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined)

/** A string field of a JSON object body (undefined for other bodies). */
function bodyField(body: unknown, key: string): string | undefined {
  return body && typeof body === 'object' && !Array.isArray(body) ? str((body as Record<string, unknown>)[key]) : undefined
}

/** What a request addresses: locationId / companyId in query or body (the addressed contact's location is added by the caller). */
function targets(c: Context<MockEnv>): { locations: string[]; companies: string[] } {
  const locations: string[] = []
  const companies: string[] = []
  const body = c.get('body')
  // Most requests (GET by id) have no query string and no body: nothing to look at then.
  const hasQuery = c.req.url.includes('?')
  addOnce(locations, hasQuery ? str(c.req.query('locationId')) : undefined)
  addOnce(locations, bodyField(body, 'locationId'))
  addOnce(companies, hasQuery ? str(c.req.query('companyId')) : undefined)
  addOnce(companies, bodyField(body, 'companyId'))
  return { locations, companies }
}

function addOnce(list: string[], value: string | undefined): void {
  if (value && !list.includes(value)) list.push(value)
}

/**
 * Why `token` may not act on these locations/companies (undefined: it may). Scope and user
 * type are already checked. Only a Company token waits on the store (its locations' owners).
 */
function accessProblem(token: TokenRecord, allowed: UserType[], t: { locations: string[]; companies: string[] }, state: MockState) {
  if (t.companies.some((co) => co !== token.companyId)) return refuse('company')
  if (token.userType === 'Location') {
    if (t.locations.some((loc) => loc !== token.locationId)) return refuse('location')
    return undefined
  }
  // A Company (agency) token on an endpoint that serves sub-account data: it is bound to no
  // sub-account, so the data is out of its reach; it must be exchanged for a Location token
  // first (POST /oauth/locationToken). See docs/auth.md and docs/decisions.md.
  if (!allowed.includes('Company')) return refuse('location')
  return companyProblem(token, t.locations, state)
}

async function companyProblem(token: TokenRecord, locations: string[], state: MockState) {
  for (const id of locations) {
    const location = await state.store.getLocation(id)
    if (!location || location.companyId !== token.companyId) return refuse('location')
  }
  return undefined
}

export function authenticate(state: MockState): Step {
  const userTypes = new Map<Operation, UserType[]>()
  // Not an async function: with the memory store a Location token's request passes at once
  // (see compose.ts for why that matters); only a Redis lookup or a Company token waits.
  return (c, next) => {
    const op = c.get('op')
    if (!op.secured) return next()
    const header = c.req.header('authorization') ?? ''
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim())
    const token = match ? state.tokens.find(match[1]) : undefined
    if (!token || token.revoked) throw refuse('invalid-token')
    if (token.expiresAt !== null && token.expiresAt <= state.clock.now()) throw refuse('expired-token')
    c.set('auth', token)
    if (!op.scopes.every((s) => token.scopes.includes(s))) throw refuse('scope')
    let allowed = userTypes.get(op)
    if (!allowed) userTypes.set(op, (allowed = userTypesOf(state.spec, op)))
    // Agency-only endpoints refuse sub-account tokens outright (the other way round is a location problem, below).
    if (token.userType === 'Location' && !allowed.includes('Location')) throw refuse('auth-class')
    const t = targets(c)
    const contactId = c.req.param('contactId')
    const contact = contactId ? state.store.getContact(contactId) : undefined
    const admit = (found: Contact | undefined) => {
      if (found) addOnce(t.locations, found.locationId)
      const access = accessProblem(token, allowed, t, state)
      return andThen(access, pass)
    }
    const pass = (problem: HttpError | undefined) => {
      if (problem) throw problem
      const locationId = token.locationId ?? t.locations[0]
      if (locationId) c.set('locationId', locationId)
      return next()
    }
    return andThen(contact, admit)
  }
}
