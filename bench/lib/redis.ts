/**
 * A throwaway redis-server for the Redis-store comparison (issue 14): a free port on
 * 127.0.0.1, no persistence, stopped with the other children. Found on the PATH (or
 * REDIS_SERVER); without one the comparison is skipped, never installed from here
 * (scripts/ensure-redis.sh does that for the test suites).
 */
import { execFileSync } from 'node:child_process'
import { connect } from 'node:net'
import { freePort, start, type Child } from './procs.ts'

/** The redis-server to run and its version, or undefined when there is none. */
export function findRedisServer(): { command: string; version: string } | undefined {
  const command = process.env.REDIS_SERVER || 'redis-server'
  try {
    const out = execFileSync(command, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    return { command, version: /v=(\S+)/.exec(out)?.[1] ?? out.trim() }
  } catch {
    return undefined
  }
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    let reply = ''
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(500, () => done(false))
    socket.once('error', () => done(false))
    socket.once('connect', () => socket.write('PING\r\n'))
    socket.on('data', (d) => {
      reply += d
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'))
    })
  })
}

export async function startRedis(command: string, cwd: string, timeoutMs = 10_000): Promise<{ child: Child; url: string }> {
  const port = await freePort()
  const child = start('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { cwd, command })
  const began = performance.now()
  while (!(await ping(port))) {
    if (child.proc.exitCode !== null) throw new Error(`redis-server exited (${child.proc.exitCode}):\n${child.output.join('\n')}`)
    if (performance.now() - began > timeoutMs) throw new Error(`redis-server on port ${port} did not answer PING within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 25))
  }
  return { child, url: `redis://127.0.0.1:${port}/0` }
}
