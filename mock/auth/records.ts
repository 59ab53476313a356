/** The state changes access tokens, authorization codes and refresh grants share. */
type Key = string

/** Marks the record used; false when there is none or it was used already (single-use). */
export function markUsed<T extends { usedAt: number | null }>(records: Map<Key, T>, key: Key, now: number): boolean {
  const r = records.get(key)
  if (!r || r.usedAt !== null) return false
  r.usedAt = now
  return true
}

export function markRevoked<T extends { revoked: boolean }>(records: Map<Key, T>, key: Key): boolean {
  const r = records.get(key)
  if (!r) return false
  r.revoked = true
  return true
}

/** Makes the record expire now (QA: reproduce an expiry on demand). */
export function markExpired<T extends { expiresAt: number | null }>(records: Map<Key, T>, key: Key, now: number): boolean {
  const r = records.get(key)
  if (!r) return false
  r.expiresAt = now
  return true
}
