/**
 * Bearer token → scopes → location, in the real API's order (scope before location).
 * The scopes an operation needs come from the spec's security requirements.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { forbidden, unauthorized } from '../errors.ts'
import type { MockEnv } from '../env.ts'
import type { MockState } from '../state.ts'

export const EXPIRED_MESSAGE = 'Invalid JWT: the access token has expired. Refresh it and retry.'
export const SCOPE_MESSAGE = 'The token is not authorized for this scope.'

/** The locations a request touches: locationId in query or body, or the addressed contact's. */
async function targetLocations(c: Context<MockEnv>, state: MockState): Promise<string[]> {
  const found = new Set<string>()
  const fromQuery = c.req.query('locationId')
  if (fromQuery) found.add(fromQuery)
  const body = c.get('body') as Record<string, unknown> | undefined
  if (body && typeof body === 'object' && typeof body.locationId === 'string') found.add(body.locationId)
  const contactId = c.req.param('contactId')
  if (contactId) {
    const contact = await state.store.getContact(contactId)
    if (contact) found.add(contact.locationId)
  }
  return [...found]
}

export function authenticate(state: MockState): MiddlewareHandler<MockEnv> {
  return async (c, next) => {
    const op = c.get('op')
    if (!op.secured) return next()
    const header = c.req.header('authorization') ?? ''
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim())
    const token = match ? state.tokens.find(match[1]) : undefined
    if (!token || token.revoked) throw unauthorized('Invalid JWT')
    if (token.expiresAt !== null && token.expiresAt <= state.clock.now()) throw unauthorized(EXPIRED_MESSAGE)
    c.set('auth', token)
    if (!op.scopes.every((s) => token.scopes.includes(s))) throw unauthorized(SCOPE_MESSAGE)
    const targets = await targetLocations(c, state)
    // A Company (agency) token is bound to no sub-account, so location data is out of its reach:
    // it must be exchanged for a Location token first (POST /oauth/locationToken).
    if (targets.some((loc) => loc !== token.locationId) || (op.api === 'contacts' && token.userType === 'Company')) {
      throw forbidden()
    }
    c.set('locationId', token.locationId ?? targets[0])
    return next()
  }
}
