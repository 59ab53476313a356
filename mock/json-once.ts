/**
 * Serialise an answer body once and hand out the same text for as long as the body lives.
 * For bodies built from stored records: the store never changes a record in place (every
 * write replaces it) and hands out frozen ones, so a body built from a record can be
 * frozen too, and its JSON stays right until the record is replaced. GET /contacts/{id}
 * then costs a lookup instead of a copy and a JSON.stringify of the whole contact.
 */
import { frozen } from './store/frozen.ts'

const encoded = new WeakMap<object, Uint8Array<ArrayBuffer>>()
const utf8 = new TextEncoder()

/**
 * Freezes `body` (deeply) and serialises it now; `jsonOf(body)` answers those bytes from
 * then on. Bytes, not a string: the text would be encoded to UTF-8 again on every write.
 */
export function serialiseOnce<T extends object>(body: T): T {
  frozen(body)
  encoded.set(body, utf8.encode(JSON.stringify(body)))
  return body
}

/**
 * Freezes `body` and takes `bytes` as its JSON, for a body whose JSON is put together from
 * parts serialised earlier (a search answer from its contacts' cached answers). The caller
 * builds both from the same records, and a test compares them with JSON.stringify.
 */
export function serialisedAs<T extends object>(body: T, bytes: Uint8Array<ArrayBuffer>): T {
  encoded.set(Object.freeze(body), bytes)
  return body
}

/** The JSON of `body`: the bytes made by `serialiseOnce`, else a fresh JSON.stringify. */
export function jsonOf(body: unknown): string | Uint8Array<ArrayBuffer> {
  return (typeof body === 'object' && body !== null && encoded.get(body)) || JSON.stringify(body)
}
