/**
 * Seeded randomness. Everything random in the mock (ids, fault probabilities, jitter)
 * draws from an Rng created from the run's seed, so the same seed replays the same run.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number
  /** A 20-character [A-Za-z0-9] id, the shape of HighLevel's ids. */
  id(length?: number): string
}

/** The length of an id, as HighLevel's. */
export const ID_LENGTH = 20

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** Accepts numbers or strings so `--seed demo` works as well as `--seed 42`. */
export function seedToNumber(seed: number | string): number {
  if (typeof seed === 'number' && Number.isFinite(seed)) return seed >>> 0
  let h = 2166136261
  for (const ch of String(seed)) h = Math.imul(h ^ ch.charCodeAt(0), 16777619)
  return h >>> 0
}

const STEP = 0x6d2b79f5

// mulberry32: tiny, fast and good enough for test data; not for secrets.
/**
 * `state()` is the whole stream position: `createRng(rng.state())` continues exactly where
 * `rng` is. `skip(n)` moves on as n calls of next() would, at once: the state only ever
 * advances by the same constant.
 */
export function createRng(seed: number | string): Rng & { state(): number; skip(n: number): void } {
  let state = seedToNumber(seed)
  const next = () => {
    state = (state + STEP) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    state: () => state,
    skip(n) {
      state = (state + Math.imul(n, STEP)) >>> 0
    },
    id(length = ID_LENGTH) {
      // One flat string: appending a character at a time left a chain of ~10 rope nodes
      // behind every id, several times the id's own size (100k contacts keep ~600k ids).
      const codes = new Array<number>(length)
      for (let i = 0; i < length; i++) codes[i] = ALPHABET.charCodeAt(Math.floor(next() * ALPHABET.length))
      return String.fromCharCode(...codes)
    },
  }
}

/**
 * The `n`-th (from 1) value `createRng(seed).next()` returns, without drawing the ones
 * before it: mulberry32 steps its state by a constant. Lets instances that share a draw
 * counter draw one sequence.
 */
export function drawAt(seed: number | string, n: number): number {
  const rng = createRng(seed)
  rng.skip(n - 1)
  return rng.next()
}
