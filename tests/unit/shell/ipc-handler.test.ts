import { describe, expect, it, vi } from 'vitest';
import type { WebContents } from 'electron';
import { makeInvokeHandler } from '../../../electron/shell/ipc-handler.js';

const ours = { id: 1 } as unknown as WebContents;
const other = { id: 2 } as unknown as WebContents;
const event = (url: string, sender: WebContents) => ({ sender, senderFrame: { url } }) as never;

describe('station:invoke handler', () => {
  const setup = () => {
    const dispatch = vi.fn(async (channel: string, raw: unknown, _connectionId: string) => ({ ok: true as const, value: { channel, raw } }));
    return { dispatch, handler: makeInvokeHandler(dispatch, (c) => c === ours) };
  };

  it('passes calls from the station window on app://station to dispatch and returns its result', async () => {
    const { dispatch, handler } = setup();
    const r = await handler(event('app://station/index.html', ours), 'persons.search', { query: 'x' });
    expect(dispatch).toHaveBeenCalledWith('persons.search', { query: 'x' }, 'webcontents:1');
    expect(r).toEqual({ ok: true, value: { channel: 'persons.search', raw: { query: 'x' } } });
  });

  it.each([
    ['https://evil.example/', ours],
    ['file:///tmp/x.html', ours],
    ['http://station/index.html', ours],
    ['app://station/index.html', other],
  ])('refuses a call from %s (own window: %#) without reaching the core', async (url, sender) => {
    const { dispatch, handler } = setup();
    const r = await handler(event(url, sender), 'station.info', {});
    expect(dispatch).not.toHaveBeenCalled();
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('INTERNAL');
  });

  it('refuses a sender whose frame is gone', async () => {
    const { dispatch, handler } = setup();
    const r = await handler({ sender: ours, senderFrame: null } as never, 'station.info', {});
    expect(dispatch).not.toHaveBeenCalled();
    expect(r.ok).toBe(false);
  });

  it('refuses a channel that is not a short string', async () => {
    const { dispatch, handler } = setup();
    for (const bad of [42, null, { toString: () => 'station.info' }, 'x'.repeat(65)]) {
      const r = await handler(event('app://station/', ours), bad, {});
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('INVALID_INPUT');
    }
    expect(dispatch).not.toHaveBeenCalled();
  });
});
