/**
 * Issued bearer tokens: OAuth access tokens and Private Integration Tokens (`pit-…`).
 * Each is bound to one location (or a company) and a set of scopes.
 */
import type { Clock } from '../clock.ts'
import type { Rng } from '../rng.ts'
import { markExpired, markRevoked } from './records.ts'

export type TokenKind = 'oauth' | 'pit'
export type UserType = 'Location' | 'Company'

export interface TokenRecord {
  token: string
  kind: TokenKind
  userType: UserType
  /** Absent for Company tokens. */
  locationId?: string
  companyId: string
  scopes: string[]
  /** The rate-limit "app": the OAuth client id, or the PIT itself (each PIT is its own app). */
  appId: string
  userId?: string
  issuedAt: number
  /** Epoch ms; null for tokens that never expire (PITs). */
  expiresAt: number | null
  revoked: boolean
}

export type TokenInput = Omit<TokenRecord, 'token' | 'issuedAt' | 'revoked' | 'appId' | 'expiresAt'> & {
  appId?: string
  /** Lifetime in ms; omitted or null for a token that never expires. */
  ttlMs?: number | null
}

export interface TokenStore {
  issue(input: TokenInput): TokenRecord
  find(token: string): TokenRecord | undefined
  revoke(token: string): boolean
  /** Make a token expire now (QA: reproduce the 3 a.m. expiry on demand). */
  expire(token: string): boolean
  list(): TokenRecord[]
  clear(): void
  /** Replace every token with these records (a loaded state file). */
  restore(records: TokenRecord[]): void
}

function uuidFrom(rng: Rng): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rng.next() * 16).toString(16)).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`
}

export function createTokenStore(deps: { clock: Clock; rng: Rng }): TokenStore {
  const tokens = new Map<string, TokenRecord>()
  return {
    issue(input) {
      let token: string
      // A loaded state may hold tokens this seed's stream would draw again: never hand one out twice.
      do token = input.kind === 'pit' ? `pit-${uuidFrom(deps.rng)}` : `mock-at-${deps.rng.id(40)}`
      while (tokens.has(token))
      const now = deps.clock.now()
      const { ttlMs, ...rest } = input
      const record: TokenRecord = {
        ...rest,
        token,
        appId: input.appId ?? token,
        issuedAt: now,
        expiresAt: ttlMs == null ? null : now + ttlMs,
        revoked: false,
      }
      tokens.set(token, record)
      return { ...record }
    },
    find(token) {
      const t = tokens.get(token)
      return t && { ...t }
    },
    revoke: (token) => markRevoked(tokens, token),
    expire: (token) => markExpired(tokens, token, deps.clock.now()),
    list: () => [...tokens.values()].map((t) => ({ ...t })),
    clear: () => tokens.clear(),
    restore(records) {
      tokens.clear()
      for (const r of records) tokens.set(r.token, { ...r, scopes: [...r.scopes] })
    },
  }
}
