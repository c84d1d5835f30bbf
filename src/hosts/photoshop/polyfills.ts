/**
 * @file Minimal AbortController / AbortSignal and performance.now/timeOrigin for UXP, installed only
 * where missing (UXP's JS reference does not list them; unconfirmed either way). AbortController covers what jobs/ and the pipeline
 * use: `signal.aborted`, `signal.reason`, `addEventListener('abort', fn, { once })`, `onabort`,
 * `removeEventListener`, `throwIfAborted()`.
 */
type Listener = (e: { type: 'abort'; target: unknown }) => void;

class MiniAbortSignal {
  aborted = false;
  reason: unknown = undefined;
  onabort: Listener | null = null;
  private listeners: { fn: Listener; once: boolean }[] = [];

  addEventListener(type: string, fn: Listener, opts?: boolean | { once?: boolean }): void {
    if (type !== 'abort' || typeof fn !== 'function') return;
    this.listeners.push({ fn, once: typeof opts === 'object' && !!opts?.once });
  }

  removeEventListener(type: string, fn: Listener): void {
    if (type === 'abort') this.listeners = this.listeners.filter((l) => l.fn !== fn);
  }

  throwIfAborted(): void {
    if (this.aborted) throw this.reason;
  }

  /** @internal */
  fire(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const event = { type: 'abort' as const, target: this };
    this.onabort?.(event);
    const current = this.listeners;
    this.listeners = current.filter((l) => !l.once);
    for (const l of current) l.fn(event);
  }
}

class MiniAbortController {
  readonly signal = new MiniAbortSignal();
  abort(reason?: unknown): void {
    const err = reason ?? Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
    this.signal.fire(err);
  }
}

export function installPolyfills(g: Record<string, unknown> = globalThis as unknown as Record<string, unknown>): string[] {
  const installed: string[] = [];
  if (typeof g.AbortController !== 'function') {
    g.AbortController = MiniAbortController;
    g.AbortSignal = MiniAbortSignal;
    installed.push('AbortController');
  }
  // ORT's Emscripten glue reads performance.timeOrigin + performance.now() (clocks inside the wasm).
  const perf = g.performance as { now?: () => number; timeOrigin?: number } | undefined;
  if (!perf || typeof perf.now !== 'function') {
    const t0 = Date.now();
    g.performance = { ...(perf ?? {}), timeOrigin: t0, now: () => Date.now() - t0 };
    installed.push('performance');
  } else if (typeof perf.timeOrigin !== 'number') {
    try {
      Object.defineProperty(perf, 'timeOrigin', { value: Date.now() - perf.now(), configurable: true });
      installed.push('performance.timeOrigin');
    } catch {
      /* read-only host object: leave it */
    }
  }
  return installed;
}

installPolyfills();
