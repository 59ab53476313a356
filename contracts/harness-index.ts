/**
 * `ghl-contacts-mock/harness`: run your connector against fresh mocks, one per scenario,
 * and fail on crashes, contract violations, duplicates, unhandled webhooks and your own
 * final-state check.
 */
export {
  runConnectorHarness,
  scenarioOf,
  findDuplicates,
  drainWebhooks,
  type Connector,
  type ConnectorContext,
  type HarnessOptions,
  type HarnessScenario,
} from './harness.ts'
export { authorize, type Authorization, type AuthorizeOptions } from './harness-install.ts'
export type { WebhookReceiverHandler } from './harness-receiver.ts'
export { expectConnectorToPass } from './vitest.ts'
export type { CheckResult, Report } from './report.ts'
