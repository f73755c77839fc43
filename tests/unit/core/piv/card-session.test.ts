/**
 * withCardSession: one exclusive session per call, PIV selected, and the
 * connection always closed (reset by default, left for a probe) — whether the
 * work succeeds or throws — so the next session finds the reader free and no
 * PIN verified inside outlives it.
 */
import { describe, expect, test } from 'vitest';
import { withCardSession } from '../../../../electron/core/piv/card-session.js';
import { TrainingReaderProvider, TRAINING_READER_NAME } from '../../../../native/virtual-card/training-reader.js';
import { VirtualPivCard } from '../../../../native/virtual-card/card.js';
import { FactoryDefaults } from '../../../../electron/core/piv/constants.js';
import { isStationError } from '../../../../electron/core/errors.js';

function reader(): TrainingReaderProvider {
  const r = new TrainingReaderProvider();
  r.insert(VirtualPivCard.create());
  return r;
}

describe('withCardSession', () => {
  test('selects PIV, returns the work, and frees the reader', async () => {
    const r = reader();
    const identity = await withCardSession(r, TRAINING_READER_NAME, (s) => s.identify());
    expect(identity.serial).toBeGreaterThan(0);
    // Free again: a second exclusive session opens.
    expect(await withCardSession(r, TRAINING_READER_NAME, async () => 'again')).toBe('again');
  });

  test('a throwing work still closes the session, with a reset: the PIN verified inside does not outlive it', async () => {
    const r = reader();
    await expect(
      withCardSession(r, TRAINING_READER_NAME, async (s) => {
        await s.verifyPin(FactoryDefaults.PIN);
        throw new Error('work failed');
      }),
    ).rejects.toThrow('work failed');
    const status = await withCardSession(r, TRAINING_READER_NAME, (s) => s.pinStatus());
    expect(status.verified).toBe(false);
  });

  test("the session is closed as asked: 'reset' by default, 'leave' for a probe", async () => {
    const r = reader();
    const closed: (string | undefined)[] = [];
    // The training reader's own transport, with each close recorded on its way through.
    const recording = {
      connect: async (name: string) => {
        const t = await r.connect(name);
        return { readerName: t.readerName, atr: t.atr, transmit: (c: Uint8Array) => t.transmit(c), close: (d?: 'reset' | 'leave') => (closed.push(d), t.close(d)) };
      },
    };
    await withCardSession(recording, TRAINING_READER_NAME, async () => undefined);
    await withCardSession(recording, TRAINING_READER_NAME, async () => undefined, { disposition: 'leave' });
    await withCardSession(recording, TRAINING_READER_NAME, async () => Promise.reject(new Error('no')), { disposition: 'leave' }).catch(() => undefined);
    expect(closed).toEqual(['reset', 'leave', 'leave']);
  });

  test('a connection refused throws the transport error and runs no work', async () => {
    let ran = false;
    const err = await withCardSession(new TrainingReaderProvider(), TRAINING_READER_NAME, async () => {
      ran = true;
    }).catch((e: unknown) => e);
    expect(isStationError(err, 'NO_CARD')).toBe(true);
    expect(ran).toBe(false);
  });
});
