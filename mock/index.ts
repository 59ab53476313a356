/**
 * The package's main entry (`ghl-contacts-mock`): run the mock from your own code.
 *
 *   const mock = await startMockServer({ port: 0 })   // vitest globalSetup, Jest, plain node
 *   mock.url, mock.defaultToken.token, mock.defaultToken.locationId
 *   await mock.close()
 *
 * createMockApp gives the same mock without a socket (app.fetch(request), supertest).
 */
export { startMockServer, DEFAULT_HOST, DEFAULT_PORT, type MockServer, type ServerOptions } from './server.ts'
export { createMockApp, type MockApp } from './app.ts'
export { defaultOptions, type MockOptions } from './options.ts'
export type { LocationToken, MockState } from './state.ts'
export { createClock, type Clock } from './clock.ts'
export { builtinScenarios, type Scenario } from './scenarios/load.ts'
export type { FaultRuleInput, FaultMatch } from './faults/rules.ts'
export type { RateLimit, RateLimitSetting } from './limits/policy.ts'
export type { AppDefinition } from './auth/apps.ts'
export type { TokenRecord } from './auth/tokens.ts'
