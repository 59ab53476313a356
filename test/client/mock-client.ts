/**
 * A client wired to an in-process mock: the mock's own frozen clock is the client's
 * clock, and the client's sleep moves it, so pacing and backoff take no real time.
 */
import { createGhlClient, type GhlClientEvent, type GhlClientOptions } from '../../client/index.ts'
import type { FetchFunction } from '../../client/transport.ts'
import type { MockOptions } from '../../mock/options.ts'
import { makeMock, VERSION, type TestMock } from '../support/mock.ts'
import { seeded } from './fakes.ts'

export interface MockClient {
  m: TestMock
  ghl: ReturnType<typeof createGhlClient>
  fetch: FetchFunction
  /** Every wait the client asked for, in ms of mock time. */
  slept: number[]
  events: GhlClientEvent[]
  /** Another client on the same mock and clock (e.g. with another token). */
  client(options?: Partial<GhlClientOptions>): ReturnType<typeof createGhlClient>
}

export async function mockClient(options: { mock?: Partial<MockOptions>; client?: Partial<GhlClientOptions> } = {}): Promise<MockClient> {
  const m = await makeMock(options.mock)
  const clock = m.state.clock
  const slept: number[] = []
  const events: GhlClientEvent[] = []
  const fetch: FetchFunction = async (input, init) => m.app.fetch(new Request(input, init))
  const client = (extra: Partial<GhlClientOptions> = {}) =>
    createGhlClient({
      baseUrl: 'http://ghl.mock',
      version: VERSION,
      token: m.token,
      fetch,
      now: () => clock.now(),
      sleep: async (ms) => {
        slept.push(ms)
        clock.advance(ms)
      },
      random: seeded(42),
      log: (e) => events.push(e),
      ...options.client,
      ...extra,
    })
  return { m, ghl: client(), fetch, slept, events, client }
}
