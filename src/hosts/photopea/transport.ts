/**
 * @file The Photopea live-messaging transport, seen from the plugin iframe.
 *
 * Photopea runs any string posted to it as a script and answers with `app.echoToOE` strings,
 * `saveToOE` ArrayBuffers and a bare "done" — but "done" also fires for unrelated events
 * (documents opening or closing), sometimes before the script's own output, and a fatal script
 * error ends the script with no reply at all (see docs: shared photopea.md §1.2). So:
 *
 * - every request gets a unique tag `@<session>.<id>:`; its script reports values as
 *   `tag + JSON` and ends with the explicit end marker `tag + "$"` (errors: `tag + "!" + JSON`);
 * - "done", MSFAPI pings, stale tags and anything else are ignored;
 * - only messages whose `source` is the parent window and whose origin is allowed are read;
 * - binary replies (ArrayBuffer or any view of one) count only while a request is active;
 * - ONE request at a time (a promise queue), each with a timeout; after a timeout the next
 *   request first pings Photopea and fails clearly if it does not answer;
 * - nothing received is ever evaluated: strings are only compared and `JSON.parse`d.
 *
 * The window objects are injected so the transport is tested in Node without a browser.
 */

/** The subset of a message event the transport reads. */
export interface MessageEventLike {
  readonly data: unknown;
  readonly origin: string;
  readonly source: unknown;
}

/** The plugin's own window: where Photopea's replies arrive. */
export interface ListenerTarget {
  addEventListener(type: 'message', listener: (e: MessageEventLike) => void): void;
  removeEventListener(type: 'message', listener: (e: MessageEventLike) => void): void;
}

/** The parent window (Photopea). */
export interface PostTarget {
  postMessage(message: unknown, targetOrigin: string, transfer?: Transferable[]): void;
}

export interface TransportOptions {
  /** The plugin window (listens for replies). */
  readonly self: ListenerTarget;
  /** The parent window (Photopea). Replies must come from exactly this object. */
  readonly parent: PostTarget;
  /** Origins whose messages are read, e.g. https://www.photopea.com. */
  readonly allowedOrigins: readonly string[];
  /** Default per-request timeout in ms (30 s). */
  readonly timeoutMs?: number;
  /** Ping timeout after an earlier timeout (5 s). */
  readonly pingTimeoutMs?: number;
  /** Request-tag session prefix; random by default so replies to an earlier page load never match. */
  readonly session?: string;
}

export interface RunOptions {
  readonly timeoutMs?: number;
  /** Most binary replies this request may produce (default 0); more is a protocol error. */
  readonly maxFiles?: number;
  /** Largest accepted binary reply in bytes (default 1 GiB). */
  readonly maxFileBytes?: number;
  /** What the request is doing, for error messages ("reading the active layer"). */
  readonly what?: string;
}

export interface ScriptResult {
  readonly values: unknown[];
  readonly files: ArrayBuffer[];
}

export type PhotopeaErrorCode = 'timeout' | 'script' | 'protocol' | 'closed' | 'unresponsive';

export class PhotopeaError extends Error {
  constructor(
    readonly code: PhotopeaErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PhotopeaError';
  }
}

/** Photopea's own origins. */
export const PHOTOPEA_ORIGINS: readonly string[] = ['https://www.photopea.com', 'https://photopea.com'];

/** ES5 helpers prepended to every script; `__t` is the request tag. */
function prelude(tag: string): string {
  return (
    `var __t=${JSON.stringify(tag)};` +
    'function __out(v){app.echoToOE(__t+JSON.stringify(v));}' +
    'function __fail(m){app.echoToOE(__t+"!"+JSON.stringify(String(m)));}\n'
  );
}

/** Wraps a script body so that `return` ends it early and the end marker always follows. */
export function wrapScript(tag: string, body: string): string {
  return `${prelude(tag)}(function(){\n${body}\n})();\napp.echoToOE(__t+"$");`;
}

function toArrayBuffer(d: unknown): ArrayBuffer | null {
  if (d instanceof ArrayBuffer) return d;
  // Cross-realm ArrayBuffers (iframes, jest) fail instanceof; check the tag too.
  if (Object.prototype.toString.call(d) === '[object ArrayBuffer]') return d as ArrayBuffer;
  if (ArrayBuffer.isView(d)) {
    const v = d as ArrayBufferView;
    return (v.buffer as ArrayBuffer).slice(v.byteOffset, v.byteOffset + v.byteLength);
  }
  return null;
}

interface Active {
  readonly tag: string;
  readonly values: unknown[];
  readonly files: ArrayBuffer[];
  readonly maxFiles: number;
  readonly maxFileBytes: number;
  error: PhotopeaError | null;
  finish(err: PhotopeaError | null): void;
}

export class PhotopeaTransport {
  private readonly opts: TransportOptions;
  private readonly session: string;
  private seq = 0;
  private tail: Promise<unknown> = Promise.resolve();
  private active: Active | null = null;
  private needsPing = false;
  private closed = false;
  /** Messages dropped because of their source, origin or shape (for diagnostics and tests). */
  ignored = 0;

  constructor(opts: TransportOptions) {
    this.opts = opts;
    this.session = opts.session ?? Math.random().toString(36).slice(2, 10);
    this.onMessage = this.onMessage.bind(this);
    opts.self.addEventListener('message', this.onMessage);
  }

  /** Stops listening; queued and active requests fail with 'closed'. */
  dispose(): void {
    this.closed = true;
    this.opts.self.removeEventListener('message', this.onMessage);
    this.active?.finish(new PhotopeaError('closed', 'The Photopea connection was closed.'));
  }

  /**
   * Runs one ES5 script body in Photopea. Inside it, `__out(v)` reports a JSON value and
   * `__fail(msg)` reports an error (then `return`). Resolves after the end marker.
   */
  run(body: string, options: RunOptions = {}): Promise<ScriptResult> {
    const job = this.tail.then(async () => {
      if (this.closed) throw new PhotopeaError('closed', 'The Photopea connection was closed.');
      if (this.needsPing) {
        try {
          // A late binary reply to the timed-out request may still arrive: the ping absorbs it.
          await this.send('__out("pong");', { timeoutMs: this.opts.pingTimeoutMs ?? 5000, what: 'ping', maxFiles: 16 });
          this.needsPing = false;
        } catch {
          throw new PhotopeaError(
            'unresponsive',
            'Photopea stopped answering scripts. Close and reopen the plugin panel (Window → Plugins), then try again.',
          );
        }
      }
      return this.send(body, options);
    });
    this.tail = job.catch(() => undefined);
    return job;
  }

  /** Checks that Photopea answers at all (used on start-up). */
  async ping(timeoutMs = 5000): Promise<void> {
    const r = await this.run('__out("pong");', { timeoutMs, what: 'connecting to Photopea' });
    if (r.values[0] !== 'pong') throw new PhotopeaError('protocol', 'Photopea answered the ping with an unexpected value.');
  }

  private send(body: string, options: RunOptions): Promise<ScriptResult> {
    const id = ++this.seq;
    const tag = `@${this.session}.${id}:`;
    const timeoutMs = options.timeoutMs ?? this.opts.timeoutMs ?? 30000;
    const what = options.what ?? 'running a script';
    return new Promise<ScriptResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.needsPing = true;
        active.finish(
          new PhotopeaError(
            'timeout',
            `Photopea did not finish ${what} within ${Math.round(timeoutMs / 1000)} s (request ${id}). ` +
              'It may be busy with a very large document, or the script failed inside Photopea.',
          ),
        );
      }, timeoutMs);
      const active: Active = {
        tag,
        values: [],
        files: [],
        maxFiles: options.maxFiles ?? 0,
        maxFileBytes: options.maxFileBytes ?? 1 << 30,
        error: null,
        finish: (err) => {
          if (this.active !== active) return;
          clearTimeout(timer);
          this.active = null;
          const e = err ?? active.error;
          if (e) reject(e);
          else resolve({ values: active.values, files: active.files });
        },
      };
      this.active = active;
      try {
        this.opts.parent.postMessage(wrapScript(tag, body), '*');
      } catch (e) {
        active.finish(new PhotopeaError('closed', `Could not post to Photopea: ${e instanceof Error ? e.message : String(e)}`));
      }
    });
  }

  private onMessage(e: MessageEventLike): void {
    if (e.source !== this.opts.parent || !this.opts.allowedOrigins.includes(e.origin)) {
      this.ignored++;
      return;
    }
    const active = this.active;
    const d = e.data;
    if (typeof d === 'string') {
      if (!active || !d.startsWith(active.tag)) {
        this.ignored++; // "done", MSFAPI pings, stale or foreign tags
        return;
      }
      const rest = d.slice(active.tag.length);
      if (rest === '$') {
        active.finish(null);
        return;
      }
      const isError = rest.startsWith('!');
      let value: unknown;
      try {
        value = JSON.parse(isError ? rest.slice(1) : rest);
      } catch {
        active.error ??= new PhotopeaError('protocol', 'Photopea sent a reply that is not valid JSON.');
        return;
      }
      if (isError) active.error ??= new PhotopeaError('script', typeof value === 'string' ? value : JSON.stringify(value));
      else active.values.push(value);
      return;
    }
    const buf = toArrayBuffer(d);
    if (buf && active) {
      if (active.files.length >= active.maxFiles) {
        active.error ??= new PhotopeaError('protocol', `Photopea sent more binary replies than expected (${active.maxFiles}).`);
      } else if (buf.byteLength > active.maxFileBytes) {
        active.error ??= new PhotopeaError('protocol', `Photopea sent a file of ${buf.byteLength} bytes, over the ${active.maxFileBytes}-byte limit.`);
      } else {
        active.files.push(buf);
      }
      return;
    }
    this.ignored++;
  }
}
