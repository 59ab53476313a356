/**
 * What the OAuth flow leaves behind besides access tokens: one-time authorization codes,
 * refresh tokens (they rotate: each is good for one use) and installs (which app is
 * installed where). Codes and refresh tokens come from the run's seed; times from the clock.
 */
import type { Clock } from '../clock.ts'
import { createRng, type Rng } from '../rng.ts'
import type { UserType } from './tokens.ts'
import { markExpired, markRevoked, markUsed } from './records.ts'

/** Authorization codes live this long by default (mock time), as is common for OAuth servers. */
export const AUTH_CODE_TTL_SECONDS = 600
/** Refresh tokens stay valid for a year unless used (HighLevel's documented lifetime). */
export const REFRESH_TOKEN_TTL_MS = 365 * 24 * 60 * 60 * 1000

export interface AuthorizationCode {
  code: string
  clientId: string
  redirectUri: string
  scopes: string[]
  /** Who consented: a sub-account user (Location apps) or an agency admin (Company apps). */
  installedBy: UserType
  /** The location picked on the consent page (the first approved one for a Company install). */
  locationId: string
  companyId: string
  /** Locations the consent covers: the picked one, or (Company install) the chosen ones / all of the company. */
  approvedLocations: string[]
  approveAllLocations: boolean
  userId: string
  issuedAt: number
  expiresAt: number
  usedAt: number | null
}

export interface RefreshGrant {
  refreshToken: string
  refreshTokenId: string
  clientId: string
  userType: UserType
  /** Location tokens only. */
  locationId?: string
  companyId: string
  approvedLocations: string[]
  scopes: string[]
  userId: string
  issuedAt: number
  expiresAt: number
  /** Set when the token was exchanged (rotation): it cannot be used again. */
  usedAt: number | null
  revoked: boolean
}

export interface Install {
  clientId: string
  locationId: string
  companyId: string
  /** Installed by a sub-account user (Location) or by the agency for this location (Company). */
  installedBy: UserType
  scopes: string[]
  installedAt: number
}

export interface GrantStore {
  createCode(input: Omit<AuthorizationCode, 'code' | 'issuedAt' | 'expiresAt' | 'usedAt'>, ttlMs: number): AuthorizationCode
  findCode(code: string): AuthorizationCode | undefined
  /** Marks the code used; false if it already was. */
  useCode(code: string): boolean
  createRefresh(input: Omit<RefreshGrant, 'refreshToken' | 'refreshTokenId' | 'issuedAt' | 'expiresAt' | 'usedAt' | 'revoked'>): RefreshGrant
  findRefresh(token: string): RefreshGrant | undefined
  /** Marks the refresh token used (rotation); false if it already was. */
  useRefresh(token: string): boolean
  revokeRefresh(token: string): boolean
  expireRefresh(token: string): boolean
  listRefresh(): RefreshGrant[]
  /** Records an install (or refreshes it: one per app and location). */
  install(input: Omit<Install, 'installedAt'>): Install
  installs(filter?: { clientId?: string; companyId?: string; locationId?: string }): Install[]
  /** Removes an install; the removed record, or undefined when there was none. */
  uninstall(clientId: string, locationId: string): Install | undefined
  reset(seed: number | string): void
  /** Codes, refresh tokens and installs, for a state file. */
  dump(): GrantDump
  /** Replace them all with a state file's (already validated). */
  restore(dump: GrantDump): void
}

export interface GrantDump {
  codes: AuthorizationCode[]
  refreshTokens: RefreshGrant[]
  installs: Install[]
}

const HEX = '0123456789abcdef'
const hex = (rng: Rng, n: number) => Array.from({ length: n }, () => HEX[Math.floor(rng.next() * 16)]).join('')

export function createGrantStore(deps: { clock: Clock; seed: number | string }): GrantStore {
  let rng = createRng(`${deps.seed}:oauth`)
  const codes = new Map<string, AuthorizationCode>()
  const refresh = new Map<string, RefreshGrant>()
  const installs = new Map<string, Install>()
  const copy = <T>(x: T | undefined) => (x === undefined ? undefined : structuredClone(x))

  return {
    createCode(input, ttlMs) {
      const now = deps.clock.now()
      const code: AuthorizationCode = { ...structuredClone(input), code: hex(rng, 40), issuedAt: now, expiresAt: now + ttlMs, usedAt: null }
      codes.set(code.code, code)
      return structuredClone(code)
    },
    findCode: (code) => copy(codes.get(code)),
    useCode: (code) => markUsed(codes, code, deps.clock.now()),
    createRefresh(input) {
      const now = deps.clock.now()
      const grant: RefreshGrant = {
        ...structuredClone(input),
        refreshToken: `mock-rt-${rng.id(40)}`,
        refreshTokenId: hex(rng, 24),
        issuedAt: now,
        expiresAt: now + REFRESH_TOKEN_TTL_MS,
        usedAt: null,
        revoked: false,
      }
      refresh.set(grant.refreshToken, grant)
      return structuredClone(grant)
    },
    findRefresh: (token) => copy(refresh.get(token)),
    useRefresh: (token) => markUsed(refresh, token, deps.clock.now()),
    revokeRefresh: (token) => markRevoked(refresh, token),
    expireRefresh: (token) => markExpired(refresh, token, deps.clock.now()),
    listRefresh: () => [...refresh.values()].map((g) => structuredClone(g)),
    install(input) {
      const record: Install = { ...structuredClone(input), installedAt: deps.clock.now() }
      installs.set(`${input.clientId} ${input.locationId}`, record)
      return structuredClone(record)
    },
    uninstall(clientId, locationId) {
      const key = `${clientId} ${locationId}`
      const record = installs.get(key)
      installs.delete(key)
      return copy(record)
    },
    installs: (filter = {}) =>
      [...installs.values()]
        .filter(
          (i) =>
            (!filter.clientId || i.clientId === filter.clientId) &&
            (!filter.companyId || i.companyId === filter.companyId) &&
            (!filter.locationId || i.locationId === filter.locationId),
        )
        .map((i) => structuredClone(i)),
    reset(seed) {
      rng = createRng(`${seed}:oauth`)
      codes.clear()
      refresh.clear()
      installs.clear()
    },
    dump: () => structuredClone({ codes: [...codes.values()], refreshTokens: [...refresh.values()], installs: [...installs.values()] }),
    restore(dump) {
      // Codes and refresh tokens drawn after the load come from a stream apart from the loaded ones'.
      rng = createRng(`${deps.seed}:oauth:loaded:${dump.codes.length}:${dump.refreshTokens.length}`)
      codes.clear()
      refresh.clear()
      installs.clear()
      for (const c of structuredClone(dump.codes)) codes.set(c.code, c)
      for (const g of structuredClone(dump.refreshTokens)) refresh.set(g.refreshToken, g)
      for (const i of structuredClone(dump.installs)) installs.set(`${i.clientId} ${i.locationId}`, i)
    },
  }
}
