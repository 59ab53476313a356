/** The --store URL, checked at start and never printed with its password. Kept apart from the client so the memory path never loads ioredis. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//***@')
}

/** `redis://host:port/db` (or rediss://); anything else is refused at start with a clear message. */
export function checkRedisUrl(url: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new Error(`--store must be redis://host:port/db (got "${url}")`)
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new Error(`--store must be redis://host:port/db (got "${url}")`)
  if (parsed.pathname !== '' && parsed.pathname !== '/' && !/^\/\d+$/.test(parsed.pathname))
    throw new Error(`the Redis database in --store must be a number (got "${parsed.pathname.slice(1)}")`)
  return url
}
