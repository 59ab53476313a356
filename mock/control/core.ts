/**
 * The control API (/__mock/*): what QA and tests use to look at and steer the mock.
 * Described by openapi/control.yaml; no auth, meant for local use only.
 */
import { defineHandlers } from '../handler.ts'
import { unprocessable } from '../errors.ts'

/** Contacts (all locations) a reset through the control API may seed; see ResetBody in control.yaml. */
export const MAX_RESET_CONTACTS = 20_000

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
    const locations = body?.locations ?? state.options.locations
    const contacts = body?.contacts ?? state.options.contacts
    // Seeding is synchronous: a reset that grows the data past this would stall every request in flight.
    if ((body?.locations !== undefined || body?.contacts !== undefined) && locations * contacts > MAX_RESET_CONTACTS) {
      throw unprocessable([
        `a reset seeds at most ${MAX_RESET_CONTACTS} contacts in all (locations × contacts = ${locations} × ${contacts}); start the mock with --locations/--contacts for larger data sets`,
      ])
    }
    await state.reset({ seed: body?.seed, locations: body?.locations, contacts: body?.contacts })
    return { status: 200, body: { status: 'reset', seed: state.options.seed } }
  },

  listRequests: async ({ query }, state) => ({
    status: 200,
    body: { requests: await state.journal.read(query) },
  }),

  async clearRequests(_input, state) {
    await state.journal.clear()
    return { status: 204 }
  },
})
