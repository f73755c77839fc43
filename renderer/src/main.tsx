/**
 * Renderer entry: builds the stores over the station bridge (Electron preload
 * or the browser host's WebSocket) and mounts the app.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createStationApi, getBridge } from './api';
import { createStores, StoresProvider } from './stores/stores';
import { App } from './App';
import './styles.css';

const stores = createStores(createStationApi(getBridge()));
const root = document.getElementById('root');
if (!root) throw new Error('The page has no #root element.');

createRoot(root).render(
  <StrictMode>
    <StoresProvider stores={stores}>
      <App />
    </StoresProvider>
  </StrictMode>,
);
