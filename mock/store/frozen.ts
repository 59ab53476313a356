/**
 * Records are never changed in place (every write replaces the object), so a read can
 * hand out the stored record itself once it is frozen: no copy per read, and a caller
 * that tries to change it fails loudly instead of corrupting state.
 */
export function frozen<T>(v: T): T {
  if (v === null || typeof v !== 'object' || Object.isFrozen(v)) return v
  Object.freeze(v)
  for (const k of Object.keys(v)) frozen((v as Record<string, unknown>)[k])
  return v
}
