/**
 * The control API (/__mock/*): what QA and tests use to look at and steer the mock.
 * Described by openapi/control.yaml; no auth, meant for local use only.
 */
import { badRequest } from '../errors.ts'
import type { HandlerMap } from '../operations/types.ts'
import type { TokenRecord } from '../auth/tokens.ts'

const started = Date.now()

export function tokenView(t: TokenRecord) {
  return {
    access_token: t.token,
    token_type: 'Bearer',
    kind: t.kind,
    userType: t.userType,
    locationId: t.locationId ?? null,
    companyId: t.companyId,
    scopes: t.scopes,
    appId: t.appId,
    expires_at: t.expiresAt === null ? null : new Date(t.expiresAt).toISOString(),
    revoked: t.revoked,
  }
}

export const coreControlHandlers: HandlerMap = {
  getHealth: (_input, state) => ({
    status: 200,
    body: { status: 'ok', uptimeMs: Date.now() - started, seed: state.options.seed },
  }),

  async listLocations(_input, state) {
    const locations = await state.store.listLocations()
    return {
      status: 200,
      body: {
        locations: locations.map((l) => ({
          id: l.id,
          name: l.name,
          companyId: l.companyId,
          users: l.users,
          businesses: l.businesses,
          campaigns: l.campaigns,
          workflows: l.workflows,
        })),
      },
    }
  },

  async issueToken({ body }, state) {
    const location = await state.store.getLocation(body.locationId)
    if (!location) throw badRequest(`Location with id ${body.locationId} not found`)
    const scopes: string[] = body.scopes ?? state.contactScopes
    const token = state.tokens.issue({
      kind: body.kind ?? 'pit',
      userType: body.userType ?? 'Location',
      locationId: body.userType === 'Company' ? undefined : location.id,
      companyId: location.companyId,
      scopes,
    })
    return { status: 201, body: tokenView(token) }
  },

  async resetState({ body }, state) {
    await state.reset({ seed: body?.seed, locations: body?.locations, contacts: body?.contacts })
    return { status: 200, body: { status: 'reset', seed: state.options.seed } }
  },

  listRequests: ({ query }, state) => ({
    status: 200,
    body: { requests: state.journal.list(query) },
  }),

  clearRequests(_input, state) {
    state.journal.clear()
    return { status: 204 }
  },
}
