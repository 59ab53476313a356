import { describe, expect, it } from 'vitest'
import { SEED_PROGRESS_STEP, generateWorld } from '../../mock/seed/generate.ts'

describe('seed progress', () => {
  it('reports every SEED_PROGRESS_STEP contacts across locations, without changing the data', () => {
    const calls: Array<[number, number]> = []
    const options = { seed: 3, locations: 2, contacts: SEED_PROGRESS_STEP / 2 + 10 }
    const world = generateWorld(options, (done, total) => calls.push([done, total]))
    expect(calls).toEqual([[SEED_PROGRESS_STEP, 2 * options.contacts]])
    expect(world.contacts.map((c) => c.id)).toEqual(generateWorld(options).contacts.map((c) => c.id))
  })
})
