// @vitest-environment jsdom
/**
 * The Card layouts screen (issue 11) over a fake StationApi: every profile's
 * layout, the preview drawn by the core from the unsaved draft (the same
 * data the printer gets), a draft the contract refuses said in words before
 * any call, a save sending the changed layout, and the core's refusal shown
 * with the field it names.
 */
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { CardLayoutViewShape } from '../../../../../electron/contract/card-layout';
import type { ChannelInput } from '../../../../../electron/contract/station-api';
import { ApiError } from '../../../../../renderer/src/api-error';
import { LayoutsScreen } from '../../../../../renderer/src/features/layouts/LayoutsScreen';
import { createFakeApi } from '../../support/fake-api';
import { renderWithStores } from '../../support/render';

afterEach(cleanup);

const layout = (profile: string, over: Partial<CardLayoutViewShape> = {}): CardLayoutViewShape => ({
  profile,
  agencyLines: ['Example Agency'],
  affiliationColor: 'white',
  header: 'United States Government',
  showSeal: false,
  showIssueDate: true,
  orgAbbreviation: null,
  footer: null,
  footerStyle: 'plain',
  returnAddress: [],
  title18Notice: true,
  hasSeal: false,
  version: 1,
  updatedAt: '2025-01-01T00:00:00Z',
  updatedBy: 'config',
  ...over,
});

/** An SVG that says which draft it was drawn from. */
const face = (l: Partial<CardLayoutViewShape> | undefined) => ({ front: `<svg><text>${l?.header ?? ''}|${l?.affiliationColor ?? ''}</text></svg>`, back: '<svg/>' });

function setup(update?: (i: ChannelInput<'layouts.update'>) => CardLayoutViewShape) {
  const core = { list: [layout('employee'), layout('contractor', { affiliationColor: 'green' })] };
  const api = createFakeApi({
    'layouts.list': () => core.list,
    'layouts.preview': (i) => face(i.layout),
    'layouts.update':
      update ??
      ((i) => {
        const saved = { ...core.list.find((l) => l.profile === i.profile)!, ...i.patch, version: 2, updatedBy: 'grace' } as CardLayoutViewShape;
        core.list = core.list.map((l) => (l.profile === i.profile ? saved : l));
        return saved;
      }),
  });
  return { api, ...renderWithStores(<LayoutsScreen />, api) };
}

const editor = async (profile: string) => (await screen.findAllByTestId('layout-card')).find((e) => e.getAttribute('data-profile-id') === profile)!;
const frontOf = (card: HTMLElement) => decodeURIComponent(within(card).getByTestId('layout-face-front').getAttribute('src')!.split(',')[1]!);

describe('LayoutsScreen', () => {
  it('shows every profile’s layout with its preview, drawn by the core from the layout', async () => {
    setup();
    const employee = await editor('employee');
    const contractor = await editor('contractor');
    expect(employee.getAttribute('data-version')).toBe('1');
    expect((within(contractor).getByTestId('layout-color-green') as HTMLInputElement).checked).toBe(true);
    await waitFor(() => expect(frontOf(employee)).toContain('United States Government|white'));
    await waitFor(() => expect(frontOf(contractor)).toContain('|green'));
  });

  it('draws the preview again from the unsaved draft, then saves the draft as the new version', async () => {
    const { api } = setup();
    const user = userEvent.setup();
    const employee = await editor('employee');
    await user.click(within(employee).getByTestId('layout-color-blue'));
    const header = within(employee).getByTestId('layout-header');
    await user.clear(header);
    await user.type(header, 'Emergency Response Official');
    await waitFor(() => expect(frontOf(employee)).toContain('Emergency Response Official|blue'));
    // Nothing is stored by a preview.
    expect(api.callsTo('layouts.update')).toEqual([]);
    await user.click(within(employee).getByTestId('layout-save'));
    await waitFor(() => expect(within(employee).getByTestId('layout-saved').textContent).toBe('Saved as version 2.'));
    expect(api.callsTo('layouts.update')).toEqual([
      { profile: 'employee', patch: expect.objectContaining({ affiliationColor: 'blue', header: 'Emergency Response Official', agencyLines: ['Example Agency'] }) },
    ]);
    expect((api.callsTo('layouts.update')[0] as ChannelInput<'layouts.update'>).patch).not.toHaveProperty('seal');
  });

  it('says in words what a draft breaks, and neither previews nor saves it', async () => {
    const { api } = setup();
    const user = userEvent.setup();
    const employee = await editor('employee');
    const LONG = 'Department of Extraordinarily Long Names';
    const agency = within(employee).getByTestId('layout-agency');
    await user.clear(agency);
    // Zone 10F lines are at most 20 characters (the chip's Printed Information holds the same text).
    await user.type(agency, LONG);
    expect(within(employee).getByTestId('layout-problem').textContent).toMatch(/^Agency \(zone 10F\): /);
    expect((within(employee).getByTestId('layout-save') as HTMLButtonElement).disabled).toBe(true);
    // Put right, the draft is drawn again; the refused draft never was (previews are asked in order).
    await user.clear(agency);
    await user.type(agency, 'Short Agency');
    await waitFor(() => expect(api.callsTo('layouts.preview')).toContainEqual({ profile: 'employee', layout: expect.objectContaining({ agencyLines: ['Short Agency'] }) }));
    expect(screen.queryByTestId('layout-problem')).toBeNull();
    const drawn = (api.callsTo('layouts.preview') as ChannelInput<'layouts.preview'>[]).flatMap((i) => i.layout?.agencyLines ?? []);
    expect(drawn).not.toContain(LONG);
    expect(api.callsTo('layouts.update')).toEqual([]);
  });

  it('shows the core’s refusal with the field it names', async () => {
    setup(() => {
      throw new ApiError({ code: 'INVALID_INPUT', message: 'The seal image must be a PNG or JPEG file.', details: { field: 'seal' } });
    });
    const user = userEvent.setup();
    const employee = await editor('employee');
    await user.click(within(employee).getByTestId('layout-title18'));
    await user.click(within(employee).getByTestId('layout-save'));
    const error = await within(employee).findByTestId('layout-error');
    expect(error.getAttribute('data-field')).toBe('seal');
    expect(error.textContent).toContain('The seal image must be a PNG or JPEG file.');
    expect(within(employee).queryByTestId('layout-saved')).toBeNull();
  });

  it('refuses a seal file larger than 512 KB without sending it', async () => {
    const { api } = setup();
    const user = userEvent.setup();
    const employee = await editor('employee');
    const big = new File([new Uint8Array(512 * 1024 + 1)], 'seal.png', { type: 'image/png' });
    await user.upload(within(employee).getByTestId('layout-seal-file'), big);
    expect(await within(employee).findByText('The seal image is too large (at most 512 KB).')).toBeTruthy();
    await user.click(within(employee).getByTestId('layout-save'));
    await waitFor(() => expect(api.callsTo('layouts.update')).toHaveLength(1));
    expect((api.callsTo('layouts.update')[0] as ChannelInput<'layouts.update'>).patch).not.toHaveProperty('seal');
  });
});
