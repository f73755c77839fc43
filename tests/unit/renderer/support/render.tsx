/**
 * Renders a component with stores built over a fake API.
 */
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { createStores, StoresProvider, type Stores } from '../../../../renderer/src/stores/stores';
import type { FakeApi } from './fake-api';

export function renderWithStores(ui: ReactElement, api: FakeApi): ReturnType<typeof render> & { stores: Stores } {
  const stores = createStores(api, { debounceMs: 0 });
  return { stores, ...render(<StoresProvider stores={stores}>{ui}</StoresProvider>) };
}
