/**
 * The control API (/__mock/*): what QA and tests use to look at and steer the mock.
 * Described by openapi/control.yaml; no auth, meant for local use only.
 */
import { defineHandlers } from '../handler.ts'

// Tokens (POST /__mock/tokens and the rest), apps and installs: ./auth.ts.

export const coreControlHandlers = defineHandlers({
  getHealth: (_input, state) => ({
    status: 200,
    body: { status: 'ok', uptimeMs: Date.now() - state.startedAt, seed: state.options.seed },
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
})
