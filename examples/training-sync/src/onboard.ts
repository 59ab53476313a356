/**
 * One new hire: a trainee in the training app with a path, and on the contact a note
 * naming the path, the "Complete onboarding" task and the `training-assigned` tag.
 *
 * Idempotent, so a rerun, a repeated trigger or a crash half-way is harmless: the
 * training app is keyed by contact id; the note and the task are looked up before they
 * are created, and created with `recover` so an ambiguous failure (a 502 after the
 * write) does not make a second one; tags are a set.
 */
import type { GhlClient } from 'ghl-contacts-mock/client'
import type { TrainingSyncConfig } from './config.ts'
import { choosePath, hasTag } from './mapping.ts'
import type { TrainingApp } from './training-app.ts'

/** The fields of a contact onboarding reads: in `contacts.get` answers (webhooks) and search results (backfill) alike. */
export interface ContactChange {
  id: string
  firstName?: string | null
  lastName?: string | null
  email?: string | null
  tags?: string[]
  customFields?: Array<{ id?: string; value?: unknown }>
}

export interface SyncDeps {
  ghl: GhlClient
  app: TrainingApp
  config: TrainingSyncConfig
}

export type OnboardOutcome = 'not-a-new-hire' | 'profile-updated' | 'assigned'

const DAY_MS = 86_400_000

export function displayName(c: ContactChange): string {
  return [c.firstName, c.lastName].filter(Boolean).join(' ') || c.email || c.id
}

export function assignmentNote(pathName: string): string {
  return `Training path assigned: ${pathName}`
}

export async function onboard({ ghl, app, config }: SyncDeps, contact: ContactChange): Promise<OnboardOutcome> {
  if (!hasTag(contact, config.triggerTag)) return 'not-a-new-hire'
  const trainee = app.upsertTrainee({ externalId: contact.id, name: displayName(contact), ...(contact.email && { email: contact.email }) })
  // Already onboarded: an update only refreshes the trainee's profile (done above).
  if (hasTag(contact, config.doneTag) && trainee.pathId !== undefined) return 'profile-updated'

  const assigned = app.assignPath(contact.id, choosePath(contact, config.rules, config.defaultPath))
  const path = app.path(assigned.pathId!)
  const note = assignmentNote(path.name)
  const { notes } = await ghl.notes.list(contact.id)
  if (!notes.some((n) => n.body === note)) await ghl.notes.create(contact.id, { body: note }, { recover: true })

  const { tasks } = await ghl.tasks.list(contact.id)
  if (!tasks.some((t) => t.title === config.taskTitle)) {
    // The due date comes from the assignment, not from "now": a rerun asks for the same task.
    const dueDate = new Date(assigned.assignedAt! + path.durationDays * DAY_MS).toISOString()
    await ghl.tasks.create(
      contact.id,
      { title: config.taskTitle, body: `Finish the "${path.name}" training path.`, dueDate, completed: false },
      { recover: true },
    )
  }
  await ghl.tags.add(contact.id, { tags: [config.doneTag] })
  return 'assigned'
}
