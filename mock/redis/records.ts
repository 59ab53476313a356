/**
 * What instances record as they serve, kept in Redis under the namespace so any instance
 * answers for all: the request journal, strict-mode violations and the counters of fault
 * rules for API requests. Loaded only with `--store`, like the rest of mock/redis/.
 */
import type { Redis } from 'ioredis'
import type { FaultRules } from '../faults/rules.ts'
import type { MockOptions } from '../options.ts'
import type { Joined } from '../replication/log.ts'
import { createRedisFaultRules } from './fault-rules.ts'
import { createRedisJournal } from './journal.ts'
import { createRedisViolationLog } from './violations.ts'

/** What every shared record needs: the namespace's Redis, and which logged command is being applied. */
export interface SharedDeps {
  client: Redis
  prefix: string
  /** The logged command being applied, if any; `mine`: this instance took it, and so alone clears what is shared. */
  command(): { id: string; mine: boolean } | undefined
}

export function sharedRecords(joined: Pick<Joined, 'redis' | 'command'>, options: Pick<MockOptions, 'seed' | 'journalSize'>) {
  const deps: SharedDeps = { client: joined.redis.client, prefix: joined.redis.prefix, command: joined.command }
  return {
    journal: createRedisJournal(deps, options.journalSize),
    violations: createRedisViolationLog(deps),
    faults: (local: FaultRules) => createRedisFaultRules(local, { ...deps, seed: options.seed }),
  }
}
