/**
 * Servers under test as child processes: spawn, wait until ready, read their memory,
 * stop them. Every child is killed when the benchmark exits, whatever the reason.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'

export interface Child {
  name: string
  proc: ChildProcess
  spawnedAt: number
  /** The last lines it printed (stdout and stderr), for error messages. */
  output: string[]
}

const running = new Set<Child>()
process.once('exit', () => {
  for (const c of running) c.proc.kill('SIGKILL')
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const c of running) c.proc.kill('SIGKILL')
    process.exit(130)
  })
}

/** Spawns `node <args>` (or `opts.command <args>`) and keeps it on the list of children killed at exit. */
export function start(name: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; quiet?: boolean; command?: string }): Child {
  // A quiet child's stdout goes nowhere: Prism logs every request, and reading that in
  // the process that also runs autocannon would slow the load generator down.
  const proc = spawn(opts.command ?? process.execPath, args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', opts.quiet ? 'ignore' : 'pipe', 'pipe'],
  })
  const child: Child = { name, proc, spawnedAt: performance.now(), output: [] }
  const keep = (chunk: Buffer) => {
    child.output.push(...chunk.toString().split('\n').filter(Boolean))
    if (child.output.length > 50) child.output.splice(0, child.output.length - 50)
  }
  proc.stdout?.on('data', keep)
  proc.stderr!.on('data', keep)
  running.add(child)
  proc.once('exit', () => running.delete(child))
  return child
}

/** Resolves with the JSON after `READY ` once the child prints it. */
export function ready<T>(child: Child, timeoutMs = 120_000): Promise<T> {
  return new Promise((resolve, reject) => {
    let buffered = ''
    const timer = setTimeout(() => fail(new Error(`${child.name}: not ready after ${timeoutMs} ms`)), timeoutMs)
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString()
      const m = /^READY (.*)$/m.exec(buffered)
      if (m) {
        cleanup()
        resolve(JSON.parse(m[1]) as T)
      }
    }
    const onExit = (code: number | null) => fail(new Error(`${child.name} exited (${code}) before it was ready:\n${child.output.join('\n')}`))
    const cleanup = () => {
      clearTimeout(timer)
      child.proc.stdout!.off('data', onData)
      child.proc.off('exit', onExit)
    }
    const fail = (err: Error) => {
      cleanup()
      reject(err)
    }
    child.proc.stdout!.on('data', onData)
    child.proc.once('exit', onExit)
  })
}

/**
 * Polls `url` until it answers 200 and returns the milliseconds since the child was
 * spawned: "start time to first 200", whatever the server prints meanwhile.
 */
export async function firstOk(child: Child, url: string, headers: Record<string, string>, timeoutMs = 120_000): Promise<number> {
  let last = 'no answer'
  while (performance.now() - child.spawnedAt < timeoutMs) {
    if (child.proc.exitCode !== null) throw new Error(`${child.name} exited (${child.proc.exitCode}):\n${child.output.join('\n')}`)
    try {
      const res = await fetch(url, { headers })
      await res.arrayBuffer()
      if (res.status === 200) return performance.now() - child.spawnedAt
      last = `status ${res.status}`
    } catch (err) {
      last = String((err as Error).cause ?? err)
    }
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error(`${child.name}: no 200 from ${url} within ${timeoutMs} ms (last: ${last})`)
}

/** Resident and peak resident memory in MB, from /proc (Linux); undefined elsewhere. */
export function memory(child: Child): { rssMb?: number; peakRssMb?: number } {
  try {
    const status = readFileSync(`/proc/${child.proc.pid}/status`, 'utf8')
    const kb = (field: string) => {
      const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)
      return m ? Math.round(Number(m[1]) / 1024) : undefined
    }
    return { rssMb: kb('VmRSS'), peakRssMb: kb('VmHWM') }
  } catch {
    return {}
  }
}

/**
 * CPU time the child has used so far (user + system, all its threads, in ms; Linux /proc,
 * 10 ms steps): unlike wall time, barely moved by other work on a shared machine.
 */
export function cpuMs(child: Child): number | undefined {
  try {
    // The fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${child.proc.pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100
  } catch {
    return undefined
  }
}

export async function stop(child: Child): Promise<void> {
  if (child.proc.exitCode !== null || child.proc.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.proc.once('exit', () => resolve()))
  child.proc.kill('SIGTERM')
  const timer = setTimeout(() => child.proc.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(timer)
}

/** A port free right now on 127.0.0.1, for servers that can't be told to pick one (Prism). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as import('node:net').AddressInfo
      s.close(() => resolve(port))
    })
  })
}
