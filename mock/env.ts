/** What the pipeline's middleware leave on the Hono context for those after them. */
import type { Operation } from '../openapi/load.ts'
import type { TokenRecord } from './auth/tokens.ts'

export interface RequestInput {
  params: Record<string, unknown>
  query: Record<string, unknown>
  body: unknown
}

export interface MockEnv {
  Variables: {
    op: Operation
    /** The parsed body (JSON or form), before validation. */
    body: unknown
    auth: TokenRecord
    input: RequestInput
    /** Location the request acts on, for the journal and rate limits. */
    locationId: string
    /** Description of the fault injected into this request, for the journal. */
    fault: string
    /** Burst budget left when the request arrived, before it was counted. */
    rateRemaining: number
    /** Headers for the answer, whoever builds it (see pipeline/respond.ts). */
    addHeaders: Record<string, string> | undefined
  }
}
