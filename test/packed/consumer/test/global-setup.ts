// One mock for the whole test run: started before the first test file, closed after the
// last. In CI (docs/ci.md) MOCK_URL names a mock already running in strict mode; the
// tests then use it, so `ghl-mock report` afterwards sees every request they made.
import { startMockServer, type MockServer } from 'ghl-contacts-mock'
import type { control } from 'ghl-contacts-mock/types'
import type { TestProject } from 'vitest/node'

type Ghl = { baseUrl: string; token: string; locationId: string }

declare module 'vitest' {
  export interface ProvidedContext {
    ghl: Ghl
  }
}

let mock: MockServer | undefined

async function runningMock(baseUrl: string): Promise<Ghl> {
  const res = await fetch(`${baseUrl}/__mock/tokens?kind=pit&userType=Location`)
  const { tokens } = (await res.json()) as control.components['schemas']['TokenList']
  const pit = tokens.find((t) => t.locationId)
  if (!pit?.locationId) throw new Error(`no location token at ${baseUrl}`)
  return { baseUrl, token: pit.access_token, locationId: pit.locationId }
}

export async function setup(project: TestProject): Promise<void> {
  if (process.env.MOCK_URL) {
    project.provide('ghl', await runningMock(process.env.MOCK_URL))
    return
  }
  mock = await startMockServer({ port: 0, seed: 'acme' })
  const { token, locationId } = mock.defaultToken
  project.provide('ghl', { baseUrl: mock.url, token, locationId })
}

export async function teardown(): Promise<void> {
  await mock?.close()
}
