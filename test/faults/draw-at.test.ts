import { describe, expect, it } from 'vitest'
import { createRng, drawAt } from '../../mock/rng.ts'

// Instances sharing a draw counter (mock/redis/fault-rules.ts) draw one sequence by its number.
describe('drawAt', () => {
  it.each([42, 'demo:faults', 0])('gives the n-th value createRng(%s).next() gives, without drawing the ones before it', (seed) => {
    const rng = createRng(seed)
    const drawn = Array.from({ length: 200 }, () => rng.next())
    expect(Array.from({ length: 200 }, (_, i) => drawAt(seed, i + 1))).toEqual(drawn)
  })

  it('stays exact far into the sequence, past 2^32 steps of state', () => {
    const rng = createRng(7)
    for (let i = 0; i < 100_000; i++) rng.next()
    expect(drawAt(7, 100_001)).toBe(rng.next())
  })
})
