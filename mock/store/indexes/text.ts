/**
 * Substring search without a scan of the contacts: the texts of one source (a field's
 * values, or the parts of the full-text query's haystack), one entry per text and
 * contact, and a trigram index over the entries. A needle of three or more characters is
 * looked up by its rarest trigram, and only the entries under it are checked with
 * `includes`; a shorter needle checks every entry. `includes` decides, so the answer is
 * the scan's, only cheaper.
 *
 * The index is two flat arrays (counts per trigram bucket and entry numbers, CSR style):
 * a few bytes per trigram, built in two passes without a map. Trigrams are hashed into
 * buckets; a collision only adds candidates that `includes` then drops. Entries written
 * after a build go to a tail that is checked in full, and the next search rebuilds once
 * the tail has grown past an eighth of the index.
 *
 * A lookup costs in proportion to its hits (each is checked), so the answers of the most
 * recent needles are kept, as bitsets, and kept exact on every write (a changed slot is
 * checked against each kept needle): the same query again costs a copy of its bitset, at
 * 100k contacts as at 10k, instead of 20,000 checks for a needle that 5 % of them hold.
 */
import { clearBit, setBit, type Bits } from './bitset.ts'

export interface TextIndex {
  /** Gives `slot` these texts (after remove(slot), or for a new slot). */
  add(slot: number, texts: readonly string[]): void
  remove(slot: number): void
  /** The slots holding a text that contains `needle`. */
  matching(needle: string): Bits
  /** Entries held, removed ones included: never much more than twice the live ones. */
  held(): number
}

/** Needles whose answers are kept: a write checks each, so few (a test suite repeats a handful of queries). */
const KEPT_NEEDLES = 16

const BUCKET_BITS = 18
const BUCKETS = 1 << BUCKET_BITS

function bucket(s: string, i: number): number {
  const h = Math.imul(s.charCodeAt(i), 0x9e3779b1) ^ Math.imul(s.charCodeAt(i + 1), 0x85ebca6b) ^ Math.imul(s.charCodeAt(i + 2), 0xc2b2ae35)
  return Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> (32 - BUCKET_BITS)
}

function grown(a: Int32Array, min: number): Int32Array {
  if (min <= a.length) return a
  const b = new Int32Array(Math.max(min, a.length * 2))
  b.set(a)
  return b
}

export function createTextIndex(): TextIndex {
  let texts: string[] = []
  /** Entry → its slot, -1 once removed. */
  let owner: Int32Array = new Int32Array(1024)
  /** Slot → its entries, contiguous: [start, start + len). */
  let start: Int32Array = new Int32Array(1024)
  let len: Int32Array = new Int32Array(1024)
  /** Entries below `built` are in the trigram index. */
  let built = 0
  let offsets: Int32Array = new Int32Array(BUCKETS + 1)
  let postings: Int32Array = new Int32Array(0)
  let dead = 0
  /** Needle → the slots holding it, most recently asked last; sized for every slot. */
  const kept = new Map<string, Bits>()

  function rebuild() {
    // Drop removed entries first; a slot's entries stay contiguous and in order.
    if (dead > 0) {
      const live: string[] = []
      const keptOwner = new Int32Array(Math.max(1024, texts.length - dead))
      for (let e = 0; e < texts.length; e++) {
        const slot = owner[e]
        if (slot < 0) continue
        if (live.length === 0 || keptOwner[live.length - 1] !== slot) start[slot] = live.length
        keptOwner[live.length] = slot
        live.push(texts[e])
      }
      texts = live
      owner = keptOwner
      dead = 0
    }
    const counts = new Int32Array(BUCKETS + 1)
    for (const text of texts) {
      let last = -1
      for (let i = 0; i + 3 <= text.length; i++) {
        const b = bucket(text, i)
        if (b !== last) counts[b + 1]++
        last = b
      }
    }
    for (let b = 0; b < BUCKETS; b++) counts[b + 1] += counts[b]
    offsets = counts
    postings = new Int32Array(offsets[BUCKETS])
    const fill = offsets.slice(0, BUCKETS)
    for (let e = 0; e < texts.length; e++) {
      const text = texts[e]
      let last = -1
      for (let i = 0; i + 3 <= text.length; i++) {
        const b = bucket(text, i)
        if (b !== last) postings[fill[b]++] = e
        last = b
      }
    }
    built = texts.length
  }

  return {
    add(slot, values) {
      start = grown(start, slot + 1)
      len = grown(len, slot + 1)
      start[slot] = texts.length
      len[slot] = values.length
      owner = grown(owner, texts.length + values.length)
      for (const v of values) {
        owner[texts.length] = slot
        texts.push(v)
      }
      for (const [needle, bits] of kept) {
        if (!values.some((v) => v.includes(needle))) continue
        const grownBits = setBit(bits, slot)
        if (grownBits !== bits) kept.set(needle, grownBits)
      }
      // Writes without searches must not keep every old text: compact once half are dead.
      if (dead > 1024 && dead > texts.length / 2) rebuild()
    },
    remove(slot) {
      if (slot >= len.length) return
      for (let e = start[slot]; e < start[slot] + len[slot]; e++) owner[e] = -1
      dead += len[slot]
      len[slot] = 0
      for (const bits of kept.values()) clearBit(bits, slot)
    },
    matching(needle) {
      const known = kept.get(needle)
      if (known) {
        kept.delete(needle)
        kept.set(needle, known)
        return known.slice()
      }
      const bits = lookup(needle)
      if (kept.size >= KEPT_NEEDLES) kept.delete(kept.keys().next().value!)
      kept.set(needle, bits)
      return bits.slice()
    },
    held: () => texts.length,
  }

  function lookup(needle: string): Bits {
    if (texts.length - built > Math.max(1024, built / 8) || dead > texts.length / 2) rebuild()
    // Sized for every slot up front: no growing while 30,000 matches are set.
    const bits: Bits = new Uint32Array((len.length >>> 5) + 1)
    const check = (e: number) => {
      const slot = owner[e]
      if (slot >= 0 && texts[e].includes(needle)) bits[slot >>> 5] |= 1 << (slot & 31)
    }
    if (needle.length < 3) {
      for (let e = 0; e < texts.length; e++) check(e)
      return bits
    }
    let rarest = -1
    for (let i = 0; i + 3 <= needle.length; i++) {
      const b = bucket(needle, i)
      if (rarest < 0 || offsets[b + 1] - offsets[b] < offsets[rarest + 1] - offsets[rarest]) rarest = b
    }
    for (let k = offsets[rarest]; k < offsets[rarest + 1]; k++) check(postings[k])
    for (let e = built; e < texts.length; e++) check(e)
    return bits
  }
}
