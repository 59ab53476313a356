/**
 * Completion flows back: a trainee who finished their path in the training app gets the
 * "Complete onboarding" task marked completed. Completing twice is harmless (PUT), and
 * a task already completed is left alone.
 */
import type { SyncDeps } from './onboard.ts'

export interface CompletionResult {
  /** The cursor to persist: the last completion handled. */
  cursor: number
  completed: string[]
  /** Contacts whose task is gone (deleted by a user): reported, not recreated. */
  missingTask: string[]
}

export async function syncCompletions({ ghl, app, config }: SyncDeps, cursor: number): Promise<CompletionResult> {
  const result: CompletionResult = { cursor, completed: [], missingTask: [] }
  for (const c of app.completionsAfter(cursor)) {
    const { tasks } = await ghl.tasks.list(c.externalId)
    const task = tasks.find((t) => t.title === config.taskTitle)
    if (!task) result.missingTask.push(c.externalId)
    else if (!task.completed) {
      await ghl.tasks.complete(c.externalId, task.id)
      result.completed.push(c.externalId)
    }
    result.cursor = c.seq
  }
  return result
}
