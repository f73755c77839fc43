import { describe, expect, it } from 'vitest';
import { isStationError } from '../../../../electron/core/errors.js';
import { fromHex, toHex } from '../../../../electron/core/piv/tlv.js';
import { VirtualPivCard } from '../../../../native/virtual-card/card.js';
import { TRAINING_READER_NAME, TrainingReaderProvider } from '../../../../native/virtual-card/training-reader.js';

const code = (e: unknown) => (isStationError(e) ? e.code : String(e));

describe('TrainingReaderProvider', () => {
  it('lists the reader, reports card presence and notifies watchers', async () => {
    const p = new TrainingReaderProvider();
    const seen: boolean[] = [];
    p.watch((rs) => seen.push(rs[0]!.cardPresent));
    expect(await p.listReaders()).toEqual([{ name: TRAINING_READER_NAME, cardPresent: false, training: true }]);
    const card = VirtualPivCard.create();
    p.insert(card);
    expect((await p.listReaders())[0]).toMatchObject({ cardPresent: true, atr: '3B8880015049564150504C541F' });
    p.remove();
    expect(seen).toEqual([true, false]);
  });

  it('connect: NO_READER, NO_CARD, READER_BUSY; transmit reaches the card; close(reset) clears the PIN status', async () => {
    const p = new TrainingReaderProvider();
    expect(code(await p.connect('Other').catch((e) => e))).toBe('NO_READER');
    expect(code(await p.connect(TRAINING_READER_NAME).catch((e) => e))).toBe('NO_CARD');
    p.insert(VirtualPivCard.create());
    const t = await p.connect(TRAINING_READER_NAME);
    expect(code(await p.connect(TRAINING_READER_NAME).catch((e) => e))).toBe('READER_BUSY');
    expect(toHex(await t.transmit(fromHex('00200080083132333435 36FFFF'.replace(' ', ''))))).toBe('9000');
    expect(toHex(await t.transmit(fromHex('0020008000')))).toBe('9000');
    await t.close('reset');
    const t2 = await p.connect(TRAINING_READER_NAME);
    expect(toHex(await t2.transmit(fromHex('0020008000')))).toBe('63C3');
  });

  it('a removed card or a fired removeAfterApdus fault makes transmit reject CARD_REMOVED', async () => {
    const p = new TrainingReaderProvider({ readerName: 'Desk 1' });
    const card = VirtualPivCard.create({ faults: { removeAfterApdus: 1 } });
    p.insert(card);
    const t = await p.connect('Desk 1');
    expect(toHex(await t.transmit(fromHex('00FD000000')))).toBe('0507019000');
    expect(code(await t.transmit(fromHex('00FD000000')).catch((e) => e))).toBe('CARD_REMOVED');
    expect((await p.listReaders())[0]!.cardPresent).toBe(false);
    card.faults = {};
    p.insert(card);
    const t2 = await p.connect('Desk 1');
    p.remove();
    expect(code(await t2.transmit(fromHex('00FD000000')).catch((e) => e))).toBe('CARD_REMOVED');
  });
});
