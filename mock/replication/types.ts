/** What the pipeline sees of replication (`--store redis://…`); kept free of ioredis's types. */
import type { Operation } from '../../openapi/load.ts'
import type { HandlerInput, HandlerResult } from '../handler.ts'
import type { Step } from '../pipeline/compose.ts'

export interface Replication {
  /** Applies what other instances logged since this one last looked; runs before auth and anything else that reads state. */
  catchUp: Step
  /** Whether the operation changes state (and so is logged and applied by every instance). */
  writes(op: Operation): boolean
  /** Logs the request, applies the log up to it, and answers with its result there (read your writes). */
  submit(operationId: string, input: HandlerInput): Promise<HandlerResult | Response>
}
