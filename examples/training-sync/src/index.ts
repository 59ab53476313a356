/**
 * training-sync: HighLevel contacts tagged `new-hire` become trainees in the training
 * app with a path chosen by tag or custom field; the contact gets a note, a
 * "Complete onboarding" task and the `training-assigned` tag; completing the path in
 * the training app completes the task.
 *
 *   const sync = createTrainingSync({ ghl, app, config, webhooks: { publicKey } })
 *   server.post('/hooks', sync.webhooks.node)  // ContactCreate / ContactUpdate / ContactTagUpdate
 *   await sync.backfill()                      // nightly: what the webhooks missed
 *   await sync.syncCompletions()               // after the training app reports completions
 */
import { createContactTriggers, type ContactTriggers, type ContactTriggerOptions } from 'ghl-contacts-mock/client'
import { backfill, emptyTally, type Tally } from './backfill.ts'
import { syncCompletions, type CompletionResult } from './completion.ts'
import { hasTag } from './mapping.ts'
import { onboard, type ContactChange, type OnboardOutcome, type SyncDeps } from './onboard.ts'

export interface TrainingSync {
  /** The webhook receiver: mount `webhooks.node` (node:http, Express) or `webhooks.fetch` (Hono, fetch servers). */
  webhooks: ContactTriggers
  /** What the webhooks did so far, by outcome. */
  webhookTally(): Tally
  backfill(): Promise<Tally & { pages: number }>
  syncCompletions(): Promise<CompletionResult>
  /** The completion cursor to persist. */
  completionCursor(): number
}

export interface TrainingSyncOptions extends SyncDeps {
  /** How webhooks are verified: the platform's public key (WEBHOOK_SIGNATURE_PUBLIC_KEY), a clock, a shared replay store, a hook per webhook handled. */
  webhooks: Pick<ContactTriggerOptions, 'publicKey' | 'now' | 'replay' | 'onHandled'>
  completionCursor?: number
}

export function createTrainingSync(deps: TrainingSyncOptions): TrainingSync {
  let completionCursor = deps.completionCursor ?? 0
  // One contact at a time: a webhook arriving while the backfill onboards the same hire waits, so both never create.
  let tail: Promise<unknown> = Promise.resolve()
  const onboardOne = (contact: ContactChange): Promise<OnboardOutcome> => {
    const run = tail.then(() => onboard(deps, contact))
    tail = run.catch(() => undefined)
    return run
  }
  const tally = emptyTally()
  const webhooks = createContactTriggers({
    ...deps.webhooks,
    ghl: deps.ghl,
    wants: (event) => hasTag(event, deps.config.triggerTag),
    onContact: async (contact) => void tally[await onboardOne(contact)]++,
  })
  return {
    webhooks,
    webhookTally: () => ({ ...tally }),
    backfill: () => backfill(deps, onboardOne),
    async syncCompletions() {
      const result = await syncCompletions(deps, completionCursor)
      completionCursor = result.cursor
      return result
    },
    completionCursor: () => completionCursor,
  }
}

export { createTrainingApp, type TrainingApp, type TrainingPath, type Trainee } from './training-app.ts'
export { choosePath, hasTag, type PathRule } from './mapping.ts'
export { defaultConfig, type TrainingSyncConfig } from './config.ts'
export { onboard, assignmentNote, type SyncDeps, type OnboardOutcome, type ContactChange } from './onboard.ts'
export type { Tally } from './backfill.ts'
export type { CompletionResult } from './completion.ts'
