/**
 * Test fixture: a fresh in-process mock (self-check on) with supertest bound to it, a
 * frozen clock, and the seeded locations and tokens at hand.
 */
import { createAdaptorServer } from '@hono/node-server'
import supertest from 'supertest'
import { createClock } from '../../mock/clock.ts'
import { createMockApp, type MockApp } from '../../mock/app.ts'
import type { MockOptions } from '../../mock/options.ts'
import { createSeeder } from '../../mock/seed/generate.ts'
import type { Location } from '../../mock/store/types.ts'

export const VERSION = '2021-07-28'
/** 2026-01-15T12:00:00.000Z: a fixed instant so tests never depend on the wall clock. */
export const T0 = Date.UTC(2026, 0, 15, 12, 0, 0)

export interface TestMock {
  app: MockApp
  state: MockApp['state']
  http: supertest.Agent
  locations: Location[]
  /** First location and its all-scopes token. */
  location: Location
  token: string
  other: { location: Location; token: string }
  auth(token?: string): Record<string, string>
}

/** One for every mock a test worker makes: most use the default seed, whose pools are then built once. */
const seeder = createSeeder()

export async function makeMock(options: Partial<MockOptions> = {}): Promise<TestMock> {
  const app = await createMockApp({ selfCheck: true, clock: createClock({ start: T0, frozen: true }), seeder, ...options })
  const http = supertest.agent(createAdaptorServer({ fetch: app.fetch }))
  const locations = await app.state.store.listLocations()
  const tokenFor = (id: string) => app.state.defaultTokens.find((t) => t.locationId === id)!.token
  const token = tokenFor(locations[0].id)
  return {
    app,
    state: app.state,
    http,
    locations,
    location: locations[0],
    token,
    other: { location: locations[1], token: locations[1] ? tokenFor(locations[1].id) : token },
    auth: (t = token) => ({ Authorization: `Bearer ${t}`, Version: VERSION }),
  }
}
