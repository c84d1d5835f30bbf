/**
 * Unit tests of the Photopea postMessage transport with fake windows (no browser):
 * request tags, end markers, "done" noise, timeouts and ping recovery, one request at a time,
 * and messages from foreign windows, foreign origins or of odd shapes being ignored.
 */
import { PhotopeaError, PhotopeaTransport, type MessageEventLike } from '../../src/hosts/photopea/transport';

const ORIGIN = 'https://www.photopea.com';

class FakeSelf {
  listeners: ((e: MessageEventLike) => void)[] = [];
  addEventListener(_t: 'message', l: (e: MessageEventLike) => void) {
    this.listeners.push(l);
  }
  removeEventListener(_t: 'message', l: (e: MessageEventLike) => void) {
    this.listeners = this.listeners.filter((x) => x !== l);
  }
  deliver(data: unknown, source: unknown, origin = ORIGIN) {
    for (const l of [...this.listeners]) l({ data, source, origin });
  }
}

class FakeParent {
  posted: string[] = [];
  onScript: ((script: string, tag: string) => void) | null = null;
  postMessage(m: unknown) {
    const s = String(m);
    this.posted.push(s);
    const tag = /^var __t="([^"]+)"/.exec(s)?.[1] ?? '';
    this.onScript?.(s, tag);
  }
}

function setup(opts: { timeoutMs?: number } = {}) {
  const self = new FakeSelf();
  const parent = new FakeParent();
  const t = new PhotopeaTransport({ self, parent, allowedOrigins: [ORIGIN], timeoutMs: opts.timeoutMs ?? 1000, pingTimeoutMs: 200, session: 's' });
  const reply = (data: unknown, source: unknown = parent, origin = ORIGIN) => self.deliver(data, source, origin);
  return { self, parent, t, reply };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('PhotopeaTransport', () => {
  test('collects tagged values and files until the end marker, ignoring "done" in any order', async () => {
    const { parent, t, reply } = setup();
    parent.onScript = (_s, tag) =>
      queueMicrotask(() => {
        reply('done'); // unrelated "done" before the script's own output
        reply(tag + JSON.stringify({ w: 3 }));
        reply(new Uint8Array([1, 2, 3]).buffer);
        reply(tag + '"x"');
        reply('done');
        reply(tag + '$');
        reply('done');
      });
    const r = await t.run('__out(1)', { maxFiles: 1 });
    expect(r.values).toEqual([{ w: 3 }, 'x']);
    expect(r.files).toHaveLength(1);
    expect(Array.from(new Uint8Array(r.files[0]))).toEqual([1, 2, 3]);
  });

  test('wraps the body with a unique tag per request and an end marker', async () => {
    const { parent, t, reply } = setup();
    parent.onScript = (_s, tag) => queueMicrotask(() => reply(tag + '$'));
    await t.run('A();');
    await t.run('B();');
    expect(parent.posted).toHaveLength(2);
    expect(parent.posted[0]).toMatch(/^var __t="@s\.1:"/);
    expect(parent.posted[1]).toMatch(/^var __t="@s\.2:"/);
    expect(parent.posted[0]).toContain('A();');
    expect(parent.posted[0].trim().endsWith('app.echoToOE(__t+"$");')).toBe(true);
  });

  test('a bare "done" never ends a request: without the end marker it times out', async () => {
    jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'setImmediate', 'nextTick'] });
    try {
      const { parent, t, reply } = setup({ timeoutMs: 500 });
      parent.onScript = () => queueMicrotask(() => reply('done'));
      const p = t.run('x', { what: 'reading the layer' });
      const caught = p.catch((e) => e);
      await jest.advanceTimersByTimeAsync(600);
      const e = await caught;
      expect(e).toBeInstanceOf(PhotopeaError);
      expect(e.code).toBe('timeout');
      expect(e.message).toMatch(/reading the layer/);
    } finally {
      jest.useRealTimers();
    }
  });

  test('runs one request at a time: the second script is posted only after the first ends', async () => {
    const { parent, t, reply } = setup();
    const p1 = t.run('first');
    const p2 = t.run('second');
    await tick();
    expect(parent.posted).toHaveLength(1);
    const tag1 = /"(@s\.1:)"/.exec(parent.posted[0])![1];
    reply(tag1 + '$');
    await p1;
    await tick();
    expect(parent.posted).toHaveLength(2);
    const tag2 = /"(@s\.2:)"/.exec(parent.posted[1])![1];
    reply(tag1 + '"stale"'); // a late echo of request 1 does not leak into request 2
    reply(tag2 + '7');
    reply(tag2 + '$');
    expect((await p2).values).toEqual([7]);
  });

  test('ignores messages from a foreign window or origin, even with the right tag', async () => {
    const { parent, t, reply } = setup();
    const foreign = {};
    let tag = '';
    parent.onScript = (_s, tg) => (tag = tg);
    const p = t.run('x');
    await tick();
    reply(tag + '"evil"', foreign);
    reply(tag + '$', foreign);
    reply(new ArrayBuffer(4), foreign);
    reply(tag + '"evil"', parent, 'https://evil.example');
    reply(tag + '$', parent, 'https://evil.example');
    let settled = false;
    void p.then(() => (settled = true));
    await tick();
    expect(settled).toBe(false);
    reply(tag + '"good"');
    reply(tag + '$');
    const r = await p;
    expect(r.values).toEqual(['good']);
    expect(r.files).toHaveLength(0);
    expect(t.ignored).toBe(5);
  });

  test('ignores odd shapes (objects, numbers, null, MSFAPI pings) and files outside a request', async () => {
    const { parent, t, reply } = setup();
    reply(new ArrayBuffer(8)); // no request active
    let tag = '';
    parent.onScript = (_s, tg) => (tag = tg);
    const p = t.run('x');
    await tick();
    reply({ data: tag + '$' });
    reply(42);
    reply(null);
    reply('MSFAPI#ping');
    reply([tag + '$']);
    reply(tag + '$');
    const r = await p;
    expect(r.values).toEqual([]);
    expect(t.ignored).toBe(6);
  });

  test('replies are parsed as JSON, never evaluated', async () => {
    const { parent, t, reply } = setup();
    (globalThis as Record<string, unknown>).__pwned = false;
    parent.onScript = (_s, tag) =>
      queueMicrotask(() => {
        reply(tag + '"globalThis.__pwned = true"');
        reply(tag + '$');
      });
    const r = await t.run('x');
    expect(r.values).toEqual(['globalThis.__pwned = true']);
    expect((globalThis as Record<string, unknown>).__pwned).toBe(false);
  });

  test('invalid JSON after a valid tag is a protocol error', async () => {
    const { parent, t, reply } = setup();
    parent.onScript = (_s, tag) =>
      queueMicrotask(() => {
        reply(tag + '{not json');
        reply(tag + '$');
      });
    await expect(t.run('x')).rejects.toMatchObject({ code: 'protocol' });
  });

  test('__fail reports a script error with its message', async () => {
    const { parent, t, reply } = setup();
    parent.onScript = (_s, tag) =>
      queueMicrotask(() => {
        reply(tag + '!' + JSON.stringify('No document is open.'));
        reply(tag + '$');
      });
    await expect(t.run('x')).rejects.toMatchObject({ code: 'script', message: 'No document is open.' });
  });

  test('accepts typed-array views as files and rejects more files than expected', async () => {
    const { parent, t, reply } = setup();
    parent.onScript = (_s, tag) =>
      queueMicrotask(() => {
        const big = new Uint8Array([9, 8, 7, 6]);
        reply(big.subarray(1, 3));
        reply(tag + '$');
      });
    const r = await t.run('x', { maxFiles: 1 });
    expect(Array.from(new Uint8Array(r.files[0]))).toEqual([8, 7]);
    parent.onScript = (_s, tag) =>
      queueMicrotask(() => {
        reply(new ArrayBuffer(1));
        reply(new ArrayBuffer(1));
        reply(tag + '$');
      });
    await expect(t.run('x', { maxFiles: 1 })).rejects.toMatchObject({ code: 'protocol' });
  });

  test('after a timeout the next request pings first; no answer gives a clear "unresponsive" error', async () => {
    jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'setImmediate', 'nextTick'] });
    try {
      const { parent, t, reply } = setup({ timeoutMs: 300 });
      parent.onScript = () => undefined; // Photopea silent (a fatal script error gives no reply)
      const p1 = t.run('dies').catch((e) => e);
      await jest.advanceTimersByTimeAsync(400);
      expect((await p1).code).toBe('timeout');
      const p2 = t.run('next').catch((e) => e);
      await jest.advanceTimersByTimeAsync(300);
      expect(parent.posted[1]).toContain('__out("pong")');
      const e2 = await p2;
      expect(e2.code).toBe('unresponsive');
      expect(parent.posted).toHaveLength(2); // the real script was never sent

      // Photopea recovers: the ping is answered, then the real script runs.
      parent.onScript = (s, tag) =>
        queueMicrotask(() => {
          if (s.includes('__out("pong")')) reply(tag + '"pong"');
          else reply(tag + '1');
          reply(tag + '$');
        });
      const r3 = await t.run('again');
      expect(r3.values).toEqual([1]);
      expect(parent.posted[2]).toContain('__out("pong")');
      expect(parent.posted[3]).toContain('again');
    } finally {
      jest.useRealTimers();
    }
  });

  test('dispose fails the active request and stops listening', async () => {
    const { self, t } = setup();
    const p = t.run('x');
    await tick();
    t.dispose();
    await expect(p).rejects.toMatchObject({ code: 'closed' });
    expect(self.listeners).toHaveLength(0);
    await expect(t.run('y')).rejects.toMatchObject({ code: 'closed' });
  });
});
