/** What an installation configures: tags, the task, and the path mapping. */
import type { PathRule } from './mapping.ts'

export interface TrainingSyncConfig {
  locationId: string
  /** Contacts with this tag become trainees. */
  triggerTag: string
  /** Added once the trainee has a path, a note and a task. */
  doneTag: string
  taskTitle: string
  rules: PathRule[]
  defaultPath: string
  /** Page size of the nightly backfill. */
  backfillPageLimit: number
}

export const defaultConfig = {
  triggerTag: 'new-hire',
  doneTag: 'training-assigned',
  taskTitle: 'Complete onboarding',
  backfillPageLimit: 100,
} as const satisfies Partial<TrainingSyncConfig>
