import { describe, expect, it } from 'vitest'
import { createJournal } from '../../mock/journal.ts'

const entry = (path: string) => ({ time: '2026-01-01T00:00:00.000Z', method: 'GET', path, operationId: null, status: 200, durationMs: 1 })

describe('journal ring', () => {
  it('keeps the newest `capacity` entries, oldest first, with increasing ids', () => {
    const journal = createJournal(3)
    for (let i = 1; i <= 7; i++) journal.record(entry(`/${i}`))
    expect(journal.list().map((e) => [e.id, e.path])).toEqual([
      [5, '/5'],
      [6, '/6'],
      [7, '/7'],
    ])
    expect(journal.list({ limit: 2 }).map((e) => e.path)).toEqual(['/6', '/7'])
  })

  it('starts over after clear', () => {
    const journal = createJournal(2)
    for (let i = 1; i <= 5; i++) journal.record(entry(`/${i}`))
    journal.clear()
    journal.record(entry('/a'))
    expect(journal.list().map((e) => e.path)).toEqual(['/a'])
  })
})
