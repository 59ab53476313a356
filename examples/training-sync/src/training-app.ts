/**
 * An in-memory stand-in for the training app (Trainual's role in this flow): trainees,
 * training paths, assignments, completions. Its writes are idempotent by the HighLevel
 * contact id, as a real integration would key them (an "external id").
 */

export interface TrainingPath {
  id: string
  name: string
  /** Days the trainee has to finish: the HighLevel task's due date. */
  durationDays: number
}

export interface Trainee {
  /** The HighLevel contact id. */
  externalId: string
  name: string
  email?: string
  pathId?: string
  /** When the path was first assigned (epoch ms); reassigning keeps it. */
  assignedAt?: number
  completedAt?: number
}

export interface Completion {
  /** Position in the app's completion feed: the connector's cursor. */
  seq: number
  externalId: string
  pathId: string
  completedAt: number
}

export interface TrainingApp {
  paths: readonly TrainingPath[]
  path(id: string): TrainingPath
  /** Creates the trainee or updates its name and email. */
  upsertTrainee(input: { externalId: string; name: string; email?: string }): Trainee
  /** Assigns a path once; assigning again (any path) keeps the first assignment. */
  assignPath(externalId: string, pathId: string): Trainee
  trainee(externalId: string): Trainee | undefined
  trainees(): Trainee[]
  /** The trainee finished their path (what the trainee does in the app). */
  complete(externalId: string): Completion
  /** Completions after the cursor, oldest first. */
  completionsAfter(seq: number): Completion[]
}

export function createTrainingApp(options: { paths: TrainingPath[]; now: () => number }): TrainingApp {
  const trainees = new Map<string, Trainee>()
  const completions: Completion[] = []
  const paths = new Map(options.paths.map((p) => [p.id, p]))
  const must = (externalId: string) => {
    const t = trainees.get(externalId)
    if (!t) throw new Error(`No trainee for contact ${externalId}`)
    return t
  }
  return {
    paths: options.paths,
    path(id) {
      const p = paths.get(id)
      if (!p) throw new Error(`Unknown training path ${id}`)
      return p
    },
    upsertTrainee({ externalId, name, email }) {
      const t = trainees.get(externalId) ?? { externalId, name }
      t.name = name
      if (email !== undefined) t.email = email
      trainees.set(externalId, t)
      return { ...t }
    },
    assignPath(externalId, pathId) {
      const t = must(externalId)
      this.path(pathId)
      if (t.pathId === undefined) {
        t.pathId = pathId
        t.assignedAt = options.now()
      }
      return { ...t }
    },
    trainee: (externalId) => {
      const t = trainees.get(externalId)
      return t && { ...t }
    },
    trainees: () => [...trainees.values()].map((t) => ({ ...t })),
    complete(externalId) {
      const t = must(externalId)
      if (t.pathId === undefined) throw new Error(`Trainee ${externalId} has no training path`)
      const done = completions.find((c) => c.externalId === externalId)
      if (done) return { ...done }
      t.completedAt = options.now()
      const c: Completion = { seq: completions.length + 1, externalId, pathId: t.pathId, completedAt: t.completedAt }
      completions.push(c)
      return { ...c }
    },
    completionsAfter: (seq) => completions.filter((c) => c.seq > seq).map((c) => ({ ...c })),
  }
}
