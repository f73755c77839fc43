/**
 * Renders a component with stores built over a fake API.
 */
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { createStores, StoresProvider, type Stores } from '../../../../renderer/src/stores/stores';
import { act } from '@testing-library/react';
import { officer, stationInfo, type FakeApi } from './fake-api';

export function renderWithStores(ui: ReactElement, api: FakeApi): ReturnType<typeof render> & { stores: Stores } {
  const stores = createStores(api, { debounceMs: 0 });
  return { stores, ...render(<StoresProvider stores={stores}>{ui}</StoresProvider>) };
}

/**
 * Puts the stores where one officer may issue cards directly (the Issue card
 * screen): an all-roles officer logged in, and a station whose agency setting
 * lets the requester produce.
 */
export function asDirectIssuer(stores: Stores): void {
  act(() => {
    stores.session.setState({ loaded: true, officer: officer() });
    stores.station.setState({ info: stationInfo({ separationOfDuties: { producerDiffersFromRequester: false } }) });
  });
}
