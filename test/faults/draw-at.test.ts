import { describe, expect, it } from 'vitest'
import { createRng, drawAt } from '../../mock/rng.ts'

// Instances sharing a draw counter (mock/redis/fault-rules.ts) draw one sequence by its number.
describe('drawAt', () => {
  it.each([42, 'demo:faults', 0])('gives the n-th value createRng(%s).next() gives, without drawing the ones before it', (seed) => {
    const rng = createRng(seed)
    const drawn = Array.from({ length: 200 }, () => rng.next())
    expect(Array.from({ length: 200 }, (_, i) => drawAt(seed, i + 1))).toEqual(drawn)
  })

  it('the state wraps past 2^32', () => {
    // mulberry32's state after n draws is seed + n × 0x6d2b79f5 mod 2^32; at n ≈ 2^40 the
    // product is far past 2^53, where a plain float multiplication loses the low bits.
    const n = 2 ** 40 + 12_345
    const state = Number((7n + BigInt(n - 1) * 0x6d2b79f5n) % 2n ** 32n)
    expect(drawAt(7, n)).toBe(createRng(state).next())
  })
})
