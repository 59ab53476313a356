/**
 * Serialise an answer body once and hand out the same text for as long as the body lives.
 * For bodies built from stored records: the store never changes a record in place (every
 * write replaces it) and hands out frozen ones, so a body built from a record can be
 * frozen too, and its JSON stays right until the record is replaced. GET /contacts/{id}
 * then costs a lookup instead of a copy and a JSON.stringify of the whole contact.
 */
const texts = new WeakMap<object, string>()

function freezeDeep(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return
  Object.freeze(value)
  for (const key of Object.keys(value)) freezeDeep((value as Record<string, unknown>)[key])
}

/** Freezes `body` (deeply) and serialises it now; `jsonOf(body)` is that text from then on. */
export function serialiseOnce<T extends object>(body: T): T {
  freezeDeep(body)
  texts.set(body, JSON.stringify(body))
  return body
}

/** The JSON text of `body`: the one made by `serialiseOnce`, else a fresh JSON.stringify. */
export function jsonOf(body: unknown): string {
  return (typeof body === 'object' && body !== null && texts.get(body)) || JSON.stringify(body)
}
