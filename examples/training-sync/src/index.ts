/**
 * training-sync: HighLevel contacts tagged `new-hire` become trainees in the training
 * app with a path chosen by tag or custom field; the contact gets a note, a
 * "Complete onboarding" task and the `training-assigned` tag; completing the path in
 * the training app completes the task.
 *
 *   const sync = createTrainingSync({ ghl, app, config, triggers })
 *   await sync.poll()             // every few minutes (or per webhook, see triggers.ts)
 *   await sync.syncCompletions()  // after the training app reports completions
 *   await sync.backfill()         // nightly
 */
import { backfill, emptyTally, type Tally } from './backfill.ts'
import { syncCompletions, type CompletionResult } from './completion.ts'
import { onboard, type SyncDeps } from './onboard.ts'
import type { TriggerSource } from './triggers.ts'

export interface TrainingSync {
  /** Handles the changes the trigger source has (a poll, or the webhooks received). */
  poll(): Promise<Tally>
  backfill(): Promise<Tally & { pages: number }>
  syncCompletions(): Promise<CompletionResult>
  /** The completion cursor to persist. */
  completionCursor(): number
}

export function createTrainingSync(deps: SyncDeps & { triggers: TriggerSource; completionCursor?: number }): TrainingSync {
  let completionCursor = deps.completionCursor ?? 0
  return {
    async poll() {
      const tally = emptyTally()
      await deps.triggers.drain(async (change) => {
        tally[await onboard(deps, change)]++
      })
      return tally
    },
    backfill: () => backfill(deps),
    async syncCompletions() {
      const result = await syncCompletions(deps, completionCursor)
      completionCursor = result.cursor
      return result
    },
    completionCursor: () => completionCursor,
  }
}

export { connectGhl, type GhlConnection } from './ghl.ts'
export { exchangeCode, type Installation } from './oauth.ts'
export { createTrainingApp, type TrainingApp, type TrainingPath, type Trainee } from './training-app.ts'
export { choosePath, hasTag, type PathRule } from './mapping.ts'
export { pollingTriggers, type TriggerSource, type ContactChange, type PollingTriggers } from './triggers.ts'
export { defaultConfig, type TrainingSyncConfig } from './config.ts'
export { onboard, assignmentNote, type SyncDeps, type OnboardOutcome } from './onboard.ts'
export type { Tally } from './backfill.ts'
export type { CompletionResult } from './completion.ts'
