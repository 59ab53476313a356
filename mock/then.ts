/**
 * `then(value)` at once when `value` is a plain value, else once the promise settles. The
 * memory store, its counters and the journal answer at once, and a GET by id stays free of
 * promises (the Node adapter's fast path, mock/pipeline/compose.ts) only while every step
 * hands plain values on: each step that may wait on Redis or a Company token uses this.
 */
export function andThen<T, R>(value: T | Promise<T>, then: (v: T) => R): R | Promise<Awaited<R>> {
  return value instanceof Promise ? (value.then(then) as Promise<Awaited<R>>) : then(value)
}
