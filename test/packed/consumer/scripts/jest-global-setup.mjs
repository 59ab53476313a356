// Jest: "globalSetup": "./scripts/jest-global-setup.mjs", "globalTeardown": "./scripts/jest-global-teardown.mjs".
// Jest runs both in its parent process; tests read the mock's address from the environment.
import { startMockServer } from 'ghl-contacts-mock'

export default async function globalSetup() {
  const mock = await startMockServer({ port: 0 })
  globalThis.__GHL_MOCK__ = mock
  process.env.GHL_BASE_URL = mock.url
  process.env.GHL_TOKEN = mock.defaultToken.token
  process.env.GHL_LOCATION_ID = mock.defaultToken.locationId
}
