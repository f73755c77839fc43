// @vitest-environment jsdom
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CardsScreen } from '../../../../../renderer/src/features/cards/CardsScreen';
import { ApiError } from '../../../../../renderer/src/api-error';
import { createFakeApi, officer, reader } from '../../support/fake-api';
import { renderWithStores } from '../../support/render';
import type { CardDetailView, OfficerView } from '../../../../../electron/contract/station-api';

afterEach(cleanup);

const READER = 'Virtual PCD 00 00';

const cardDetail = (over: Partial<CardDetailView> = {}): CardDetailView => ({
  id: 'card-1',
  personId: 'p-1',
  personName: 'Ada Lovelace',
  status: 'produced',
  cardNumber: '00000042',
  credentialNumber: '000042',
  profile: 'employee',
  guid: '0f0e0d0c-0b0a-0908-0706-050403020100',
  fascn: 'D4E739DA739CED39CE739D836858210842108421C84210C3EB',
  expirationDate: '2031-01-01',
  chipSerial: 1234,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  capabilities: null,
  certificates: [
    { slot: '9a', serial: '0A1B', status: 'valid', revocationReason: null, notAfter: '2029-01-01T00:00:00Z' },
    { slot: '9c', serial: '0A1C', status: 'valid', revocationReason: null, notAfter: '2029-01-01T00:00:00Z' },
  ],
  requestId: 'req-1',
  ...over,
});

const securityOfficer = officer({ roles: ['security'] });

/** A fake core holding cards whose lifecycle calls change their status as the core would. */
function setup(cards: CardDetailView[], me: OfficerView = securityOfficer) {
  const byId = (ref: string) => {
    const c = cards.find((x) => x.id === ref || x.cardNumber === ref);
    if (!c) throw new ApiError({ code: 'NOT_FOUND_RECORD', message: 'There is no such card.' });
    return c;
  };
  const setStatus = (ref: string, status: CardDetailView['status'], certStatus?: string) => {
    const c = byId(ref);
    c.status = status;
    if (certStatus) c.certificates = c.certificates.map((x) => ({ ...x, status: certStatus }));
    return { ...c };
  };
  const api = createFakeApi({
    'readers.list': () => [reader(READER, { cardPresent: true, card: 'station-locked' })],
    'cards.list': (i) => cards.filter((c) => !i.status || i.status.includes(c.status)).map(({ certificates: _c, requestId: _r, ...v }) => v),
    'cards.get': (i) => ({ ...byId(i.card) }),
    'cards.suspend': (i) => setStatus(i.card, 'suspended', 'hold'),
    'cards.resume': (i) => setStatus(i.card, 'active', 'valid'),
    'cards.revoke': (i) => setStatus(i.card, 'revoked', 'revoked'),
    'cards.unlock': (i) => ({ ...byId(i.card!) }),
    'cards.activate': (i) => setStatus(i.card!, 'active'),
    'cards.reprint': (i) => {
      if (i.card === 'card-x') throw new ApiError({ code: 'PRINTER_UNAVAILABLE', message: 'The printer "Card-Printer" is stopped: start it again, then retry.', details: { queue: 'Card-Printer' } });
      return { cardId: byId(i.card).id, queue: 'Card-Printer', printJob: 17, reprintCount: 2 };
    },
    'cards.reissue': (i) => ({ replacedCardId: setStatus(i.card, 'revoked', 'revoked').id, cardId: 'card-2', jobId: 'job-9', requestId: 'req-9' }),
    'crl.get': () => ({ der: '', crlNumber: 7, issuer: 'CN=Issuing CA', thisUpdate: '2026-01-01T00:00:00Z', nextUpdate: '2026-01-08T00:00:00Z', entries: [], distributionPoint: 'http://127.0.0.1:8780/crl/issuing.crl' }),
    'audit.list': (i) => [
      { seq: 1, at: '2026-01-01T00:00:00Z', actor: 'grace', action: 'card.produced', outcome: 'ok', personId: 'p-1', cardId: i.cardId ?? null, jobId: null, details: null, prevHash: null, hash: null },
    ],
  });
  const onJobStarted = vi.fn();
  const r = renderWithStores(<CardsScreen onJobStarted={onJobStarted} />, api);
  act(() => r.stores.session.setState({ loaded: true, officer: me }));
  r.stores.readers.getState().start();
  return { api, onJobStarted, ...r };
}

const actionIds = () =>
  within(screen.getByTestId('card-detail'))
    .queryAllByRole('button')
    .map((b) => b.getAttribute('data-testid'))
    .filter((id): id is string => id?.startsWith('card-action-') ?? false);

async function openCard(id = 'card-1') {
  const row = (await screen.findAllByTestId('card-row')).find((r) => r.getAttribute('data-card-id') === id)!;
  await userEvent.setup().click(within(row).getByTestId('card-open'));
  return screen.findByTestId('card-detail');
}

describe('CardsScreen', () => {
  it('offers a security officer exactly the actions the card’s status allows', async () => {
    const cards = [cardDetail(), cardDetail({ id: 'card-s', cardNumber: '00000043', status: 'suspended' }), cardDetail({ id: 'card-r', cardNumber: '00000044', status: 'revoked' })];
    setup(cards);
    await openCard('card-1');
    expect(actionIds()).toEqual(['card-action-revoke', 'card-action-suspend', 'card-action-activate', 'card-action-unlock', 'card-action-reissue', 'card-action-recycle']);
    await openCard('card-s');
    await waitFor(() => expect(screen.getByTestId('card-detail').getAttribute('data-card-id')).toBe('card-s'));
    expect(actionIds()).toEqual(['card-action-revoke', 'card-action-resume', 'card-action-unlock', 'card-action-reissue', 'card-action-recycle']);
    await openCard('card-r');
    await waitFor(() => expect(screen.getByTestId('card-detail').getAttribute('data-card-id')).toBe('card-r'));
    expect(actionIds()).toEqual(['card-action-reissue', 'card-action-recycle']);
  });

  it('shows what the card showed it can do, and says so when it was never identified', async () => {
    const capabilities: CardDetailView['capabilities'] = {
      extensions: { getVersion: 'yes', getSerial: 'yes', getMetadata: 'yes', setPinRetries: 'yes', setManagementKey: 'yes', attest: 'yes', reset: 'unknown', moveKey: 'no' },
      extendedLength: true,
      advertisedAlgorithms: [],
      version: '5.7.1',
      retries: { keptByCard: false, pin: 3, puk: 3 },
    };
    setup([cardDetail({ capabilities }), cardDetail({ id: 'card-n', cardNumber: '00000045' })], officer({ roles: ['auditor'] }));
    const detail = await openCard();
    const lines = within(detail).getAllByTestId('card-capability').map((l) => [l.dataset.label, l.querySelector('dd')?.textContent]);
    expect(lines[0]).toEqual(['Retry counts', 'Retry counts set by the station: PIN 3, PUK 3.']);
    expect(lines).toContainEqual(['RESET (FB)', 'not probed']);
    // What extended length changes, as the session does it (one extended GET DATA per object; commands short).
    expect(lines).toContainEqual(['Extended-length APDUs', 'yes (objects are read in one extended APDU; commands are sent short, with chaining)']);
    expect(lines).toContainEqual(['Reported version', '5.7.1 (recorded, not used to decide)']);
    await openCard('card-n');
    await waitFor(() => expect(screen.getByTestId('card-detail').getAttribute('data-card-id')).toBe('card-n'));
    expect(within(screen.getByTestId('card-detail')).queryByTestId('card-capabilities')).toBeNull();
    expect(within(screen.getByTestId('card-detail')).getByText("The station has not identified this card's capabilities.")).toBeTruthy();
  });

  it('shows an auditor the card, its certificates, its history and the CRL, with no action', async () => {
    setup([cardDetail()], officer({ roles: ['auditor'] }));
    const detail = await openCard();
    expect(within(detail).getByTestId('card-number').textContent).toBe('00000042');
    expect(within(detail).getByTestId('card-fascn').textContent).toBe(cardDetail().fascn);
    expect(within(detail).getAllByTestId('card-cert').map((r) => [r.getAttribute('data-slot'), r.getAttribute('data-status')])).toEqual([
      ['9a', 'valid'],
      ['9c', 'valid'],
    ]);
    expect(actionIds()).toEqual([]);
    expect((await screen.findAllByTestId('card-history-event')).map((e) => e.getAttribute('data-action'))).toEqual(['card.produced']);
    expect((await screen.findByTestId('crl-number')).textContent).toBe('7');
    expect(screen.getByTestId('crl-distribution-point').textContent).toBe('http://127.0.0.1:8780/crl/issuing.crl');
  });

  it('shows a registration officer the list without actions, history or CRL', async () => {
    const { api } = setup([cardDetail()], officer({ roles: ['registration'] }));
    await openCard();
    expect(actionIds()).toEqual([]);
    expect(screen.queryByTestId('crl-panel')).toBeNull();
    expect(screen.queryByTestId('card-history')).toBeNull();
    expect(api.callsTo('crl.get')).toEqual([]);
    expect(api.callsTo('audit.list')).toEqual([]);
  });

  it('filters by status in the core and searches by card number or name on screen', async () => {
    const { api } = setup([cardDetail(), cardDetail({ id: 'card-s', cardNumber: '00000043', personName: 'Grace Hopper', status: 'suspended' })]);
    await waitFor(() => expect(screen.getAllByTestId('card-row')).toHaveLength(2));
    const user = userEvent.setup();
    await user.type(screen.getByTestId('card-search'), '43');
    expect(screen.getAllByTestId('card-row').map((r) => r.getAttribute('data-card-id'))).toEqual(['card-s']);
    await user.clear(screen.getByTestId('card-search'));
    await user.type(screen.getByTestId('card-search'), 'ada');
    expect(screen.getAllByTestId('card-row').map((r) => r.getAttribute('data-card-id'))).toEqual(['card-1']);
    await user.clear(screen.getByTestId('card-search'));
    await user.click(screen.getByTestId('card-filter-suspended'));
    await waitFor(() => expect(screen.getAllByTestId('card-row').map((r) => r.getAttribute('data-card-id'))).toEqual(['card-s']));
    expect(api.callsTo('cards.list').at(-1)).toEqual({ status: ['suspended'] });
  });

  it('revokes only after a reason and a confirmation naming the card and the consequence', async () => {
    const { api } = setup([cardDetail()]);
    await openCard();
    const user = userEvent.setup();
    await user.click(screen.getByTestId('card-action-revoke'));
    expect((screen.getByTestId('revoke-continue') as HTMLButtonElement).disabled).toBe(true);
    await user.selectOptions(screen.getByTestId('revoke-reason'), 'key-compromise');
    await user.click(screen.getByTestId('revoke-continue'));
    const confirmation = screen.getByTestId('revoke-confirmation').textContent!;
    expect(confirmation).toContain('card 00000042 of Ada Lovelace');
    expect(confirmation).toContain('key compromise');
    expect(confirmation).toContain('cannot be undone');
    expect(api.callsTo('cards.revoke')).toEqual([]);
    // Back returns to the reason without revoking.
    await user.click(screen.getByTestId('revoke-back'));
    expect(api.callsTo('cards.revoke')).toEqual([]);
    await user.click(screen.getByTestId('revoke-continue'));
    await user.click(screen.getByTestId('revoke-confirm'));
    await waitFor(() => expect(screen.getByTestId('card-detail').getAttribute('data-status')).toBe('revoked'));
    expect(api.callsTo('cards.revoke')).toEqual([{ card: 'card-1', reason: 'key-compromise' }]);
    expect(screen.getByTestId('card-action-outcome').textContent).toContain('revoked');
    expect(screen.queryByTestId('revoke-form')).toBeNull();
    expect(actionIds()).toEqual(['card-action-reissue', 'card-action-recycle']);
    // The list follows the core.
    await waitFor(() => expect(screen.getByTestId('card-row').getAttribute('data-status')).toBe('revoked'));
  });

  it('prints the card face again only with a reason, says where and which reprint, and shows a refusal in words', async () => {
    const { api } = setup([cardDetail(), cardDetail({ id: 'card-x', cardNumber: '00000046' }), cardDetail({ id: 'card-r', cardNumber: '00000044', status: 'revoked' })]);
    await openCard();
    const user = userEvent.setup();
    await user.click(screen.getByTestId('card-reprint'));
    const submit = screen.getByTestId('reprint-submit') as HTMLButtonElement;
    await user.type(screen.getByTestId('reprint-reason'), 'ab ');
    expect(submit.disabled).toBe(true);
    await user.type(screen.getByTestId('reprint-reason'), ' smudged in the printer');
    await user.click(submit);
    await waitFor(() => expect(screen.getByTestId('card-action-outcome').textContent).toBe('Card 00000042 was printed again on Card-Printer (reprint 2).'));
    expect(api.callsTo('cards.reprint')).toEqual([{ card: 'card-1', reason: 'ab  smudged in the printer' }]);
    expect(screen.queryByTestId('reprint-form')).toBeNull();
    // The core's refusal stays on screen, the form with the reason too.
    await openCard('card-x');
    await waitFor(() => expect(screen.getByTestId('card-detail').getAttribute('data-card-id')).toBe('card-x'));
    await user.click(screen.getByTestId('card-reprint'));
    await user.type(screen.getByTestId('reprint-reason'), 'lost in the post');
    await user.click(screen.getByTestId('reprint-submit'));
    await waitFor(() => expect(screen.getByTestId('card-action-error').textContent).toContain('is stopped'));
    expect((screen.getByTestId('reprint-reason') as HTMLInputElement).value).toBe('lost in the post');
    // A revoked card is not printed again.
    await openCard('card-r');
    await waitFor(() => expect(screen.getByTestId('card-detail').getAttribute('data-card-id')).toBe('card-r'));
    expect(screen.queryByTestId('card-reprint')).toBeNull();
  });

  it('shows the core’s refusal in words and the card as the core now has it', async () => {
    const cards = [cardDetail()];
    const { api } = setup(cards);
    await openCard();
    // Another officer revoked the card meanwhile.
    cards[0]!.status = 'revoked';
    api.handlers['cards.suspend'] = () => {
      throw new ApiError({ code: 'CARD_STATE', message: 'This card is revoked; it cannot be suspended.', details: { status: 'revoked' } });
    };
    await userEvent.setup().click(screen.getByTestId('card-action-suspend'));
    expect((await screen.findByTestId('card-action-error')).textContent).toBe('This card is revoked; it cannot be suspended.');
    await waitFor(() => expect(screen.getByTestId('card-detail').getAttribute('data-status')).toBe('revoked'));
    expect(actionIds()).toEqual(['card-action-reissue', 'card-action-recycle']);
  });

  it('unlocks at the desk with the new PIN typed twice, for the chosen card, and empties the PIN fields', async () => {
    const { api } = setup([cardDetail({ status: 'active' })]);
    await openCard();
    const user = userEvent.setup();
    await user.click(screen.getByTestId('card-action-unlock'));
    await waitFor(() => expect((screen.getByTestId('desk-reader-select') as HTMLSelectElement).value).toBe(READER));
    await user.type(screen.getByTestId('unlock-pin'), '135790');
    await user.type(screen.getByTestId('unlock-pin-confirm'), '135791');
    expect(screen.getByTestId('unlock-pin-error').textContent).toBe('The two PINs do not match.');
    expect((screen.getByTestId('desk-submit') as HTMLButtonElement).disabled).toBe(true);
    await user.clear(screen.getByTestId('unlock-pin-confirm'));
    await user.type(screen.getByTestId('unlock-pin-confirm'), '135790');
    await user.click(screen.getByTestId('desk-submit'));
    expect(await screen.findByTestId('card-action-outcome')).toBeTruthy();
    expect(api.callsTo('cards.unlock')).toEqual([{ readerName: READER, newPin: '135790', card: 'card-1' }]);
    expect(screen.getByTestId('card-action-outcome').textContent).toContain('PUK was rotated');
    expect(document.body.innerHTML).not.toContain('135790');
  });

  it('keeps the unlock form and says why when the core refuses (the PIN fields emptied)', async () => {
    const { api } = setup([cardDetail({ status: 'active' })]);
    api.handlers['cards.unlock'] = () => {
      throw new ApiError({ code: 'CARD_MISMATCH', message: 'The card in Virtual PCD 00 00 is card 00000007, not the chosen card 00000042. Insert the chosen card.' });
    };
    await openCard();
    const user = userEvent.setup();
    await user.click(screen.getByTestId('card-action-unlock'));
    await waitFor(() => expect((screen.getByTestId('desk-reader-select') as HTMLSelectElement).value).toBe(READER));
    await user.type(screen.getByTestId('unlock-pin'), '135790');
    await user.type(screen.getByTestId('unlock-pin-confirm'), '135790');
    await user.click(screen.getByTestId('desk-submit'));
    expect((await screen.findByTestId('card-action-error')).textContent).toContain('Insert the chosen card.');
    expect(screen.getByTestId('unlock-form')).toBeTruthy();
    expect((screen.getByTestId('unlock-pin') as HTMLInputElement).value).toBe('');
    expect((screen.getByTestId('desk-submit') as HTMLButtonElement).disabled).toBe(true);
  });

  it('activates at the desk with the PIN the cardholder types, and recycles only after a confirmation naming the card', async () => {
    const { api } = setup([cardDetail()]);
    api.handlers['cards.recycle'] = (i) => ({ ...cardDetail({ status: 'revoked' }), id: i.card! });
    await openCard();
    const user = userEvent.setup();
    await user.click(screen.getByTestId('card-action-activate'));
    await waitFor(() => expect((screen.getByTestId('desk-reader-select') as HTMLSelectElement).value).toBe(READER));
    expect((screen.getByTestId('desk-submit') as HTMLButtonElement).disabled).toBe(true);
    await user.type(screen.getByTestId('activate-pin'), '246801');
    await user.click(screen.getByTestId('desk-submit'));
    await waitFor(() => expect(screen.getByTestId('card-detail').getAttribute('data-status')).toBe('active'));
    expect(api.callsTo('cards.activate')).toEqual([{ readerName: READER, pin: '246801', card: 'card-1' }]);
    expect(screen.queryByTestId('activate-form')).toBeNull();

    await user.click(screen.getByTestId('card-action-recycle'));
    expect(screen.getByTestId('recycle-confirmation').textContent).toContain('Recycle card 00000042 of Ada Lovelace');
    expect(api.callsTo('cards.recycle')).toEqual([]);
    await waitFor(() => expect((screen.getByTestId('desk-submit') as HTMLButtonElement).disabled).toBe(false));
    await user.click(screen.getByTestId('desk-submit'));
    await waitFor(() => expect(screen.getByTestId('card-detail').getAttribute('data-status')).toBe('revoked'));
    expect(api.callsTo('cards.recycle')).toEqual([{ readerName: READER, card: 'card-1' }]);
  });

  it('activation sends a PIN the choosing rules call guessable to the card (issue 10 finding 10: the form verifies, it does not choose)', async () => {
    const { api } = setup([cardDetail()]);
    await openCard();
    const user = userEvent.setup();
    await user.click(screen.getByTestId('card-action-activate'));
    await waitFor(() => expect((screen.getByTestId('desk-reader-select') as HTMLSelectElement).value).toBe(READER));
    await user.type(screen.getByTestId('activate-pin'), '111111');
    expect(screen.queryByText(/too easy to guess/)).toBeNull();
    await user.click(screen.getByTestId('desk-submit'));
    await waitFor(() => expect(screen.getByTestId('card-detail').getAttribute('data-status')).toBe('active'));
    expect(api.callsTo('cards.activate')).toEqual([{ readerName: READER, pin: '111111', card: 'card-1' }]);
  });

  it('reissues with a reason, the blank card’s reader and a typed PIN, then opens the production screen', async () => {
    const { api, onJobStarted } = setup([cardDetail({ status: 'active' })]);
    await openCard();
    const user = userEvent.setup();
    await user.click(screen.getByTestId('card-action-reissue'));
    // A security officer may finish the replacement's production (jobs.takeSecrets): a generated PIN is offered too.
    expect(screen.getByTestId('pin-mode-generated')).toBeTruthy();
    await waitFor(() => expect((screen.getByTestId('desk-reader-select') as HTMLSelectElement).value).toBe(READER));
    await user.type(screen.getByTestId('pin-input'), '246801');
    await user.type(screen.getByTestId('pin-confirm'), '246801');
    expect((screen.getByTestId('reissue-submit') as HTMLButtonElement).disabled).toBe(true);
    await user.selectOptions(screen.getByTestId('reissue-reason'), 'damaged');
    await user.click(screen.getByTestId('reissue-submit'));
    await waitFor(() => expect(onJobStarted).toHaveBeenCalledWith('job-9'));
    expect(api.callsTo('cards.reissue')).toEqual([{ card: 'card-1', reason: 'damaged', readerName: READER, pin: '246801' }]);
  });

  it('reissues with a generated PIN', async () => {
    const { api, onJobStarted } = setup([cardDetail({ status: 'active' })]);
    await openCard();
    const user = userEvent.setup();
    await user.click(screen.getByTestId('card-action-reissue'));
    await user.click(screen.getByTestId('pin-mode-generated'));
    await user.selectOptions(screen.getByTestId('reissue-reason'), 'lost');
    await waitFor(() => expect((screen.getByTestId('reissue-submit') as HTMLButtonElement).disabled).toBe(false));
    await user.click(screen.getByTestId('reissue-submit'));
    await waitFor(() => expect(onJobStarted).toHaveBeenCalledWith('job-9'));
    expect(api.callsTo('cards.reissue')).toEqual([{ card: 'card-1', reason: 'lost', readerName: READER }]);
  });
});
