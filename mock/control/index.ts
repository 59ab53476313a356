/** The control API's handlers (/__mock/*), one module per concern. */
import type { HandlerMap } from '../handler.ts'
import { coreControlHandlers } from './core.ts'
import { clockControlHandlers } from './clock.ts'
import { contractControlHandlers } from './contract.ts'
import { authControlHandlers } from './auth.ts'
import { limitsControlHandlers } from './limits.ts'
import { faultControlHandlers } from './faults.ts'
import { webhookControlHandlers } from './webhooks.ts'
import { stateControlHandlers } from './state.ts'
import { streamControlHandlers } from './stream.ts'
import { consoleControlHandlers } from './console.ts'

export const controlHandlers: HandlerMap = {
  ...coreControlHandlers,
  ...clockControlHandlers,
  ...contractControlHandlers,
  ...authControlHandlers,
  ...limitsControlHandlers,
  ...faultControlHandlers,
  ...webhookControlHandlers,
  ...stateControlHandlers,
  ...streamControlHandlers,
  ...consoleControlHandlers,
}
