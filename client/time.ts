/**
 * Time, injected: the client never reads the wall clock or sets a timer for pacing and
 * backoff except through these, so tests drive it with a mock clock instead of waiting.
 */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>
export type Now = () => number

export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError')
}

/** Real timers; rejects with the signal's reason when aborted. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal))
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      },
      Math.max(0, ms),
    )
    const onAbort = () => {
      clearTimeout(timer)
      reject(abortReason(signal!))
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })

/** Wraps an injected sleep so that it always honours the signal before and after. */
export function guardedSleep(sleep: Sleep): Sleep {
  return async (ms, signal) => {
    if (signal?.aborted) throw abortReason(signal)
    if (ms > 0) await sleep(ms, signal)
    if (signal?.aborted) throw abortReason(signal)
  }
}
