// @vitest-environment jsdom
/**
 * The person's photo on screen and the capture screen (issue 11), over a fake
 * StationApi: the photo loaded once per person, "No photo" when there is
 * none; the camera's frame taken, checked by the core (a dry run) and saved,
 * or refused with the core's findings in words; the camera released.
 */
import { act, cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChannelInput, ChannelOutput } from '../../../../../electron/contract/station-api';
import { PersonPhoto } from '../../../../../renderer/src/features/photo/PersonPhoto';
import { PhotoCapture } from '../../../../../renderer/src/features/photo/PhotoCapture';
import { createFakeApi, flush } from '../../support/fake-api';
import { renderWithStores } from '../../support/render';

const STORED = (version: number): NonNullable<ChannelOutput<'persons.getPhoto'>> => ({
  personId: 'p-1',
  version,
  width: 450,
  height: 600,
  source: 'camera',
  capturedBy: 'grace',
  capturedAt: '2025-01-01T00:00:00Z',
  jpeg: `JPEG${version}`,
});

afterEach(cleanup);

describe('PersonPhoto', () => {
  it('shows the stored portrait, loaded once for every place that shows the person', async () => {
    const api = createFakeApi({ 'persons.getPhoto': () => STORED(2) });
    renderWithStores(
      <>
        <PersonPhoto personId="p-1" name="Ada Lovelace" />
        <PersonPhoto personId="p-1" width={48} />
      </>,
      api,
    );
    const images = await screen.findAllByTestId('person-photo');
    expect(images).toHaveLength(2);
    expect(images[0]!.getAttribute('src')).toBe('data:image/jpeg;base64,JPEG2');
    expect(images[0]!.getAttribute('alt')).toBe('Photo of Ada Lovelace');
    expect(images[0]!.getAttribute('data-version')).toBe('2');
    // 3:4 at the width asked.
    expect([images[1]!.getAttribute('width'), images[1]!.getAttribute('height')]).toEqual(['48', '64']);
    expect(api.callsTo('persons.getPhoto')).toEqual([{ personId: 'p-1' }]);
  });

  it('says "No photo" when the person has none, and why when the photo cannot be loaded', async () => {
    const api = createFakeApi({ 'persons.getPhoto': ({ personId }) => (personId === 'p-1' ? null : Promise.reject(new Error('boom'))) });
    renderWithStores(
      <>
        <PersonPhoto personId="p-1" />
        <PersonPhoto personId="p-2" />
      </>,
      api,
    );
    await waitFor(() => expect(screen.getAllByTestId('person-photo-missing').map((e) => e.textContent)).toEqual(['No photo', 'Photo unavailable']));
  });
});

describe('PhotoCapture', () => {
  const stop = vi.fn();
  const getUserMedia = vi.fn();

  beforeEach(() => {
    stop.mockReset();
    getUserMedia.mockReset();
    getUserMedia.mockResolvedValue({ getTracks: () => [{ stop }] });
    Object.defineProperty(navigator, 'mediaDevices', { configurable: true, value: { getUserMedia } });
    // jsdom plays no video and draws nothing: the frame is a 1280 × 960 picture, the canvas a stub.
    vi.spyOn(HTMLMediaElement.prototype, 'play').mockImplementation(() => Promise.resolve());
    vi.spyOn(HTMLVideoElement.prototype, 'videoWidth', 'get').mockReturnValue(1280);
    vi.spyOn(HTMLVideoElement.prototype, 'videoHeight', 'get').mockReturnValue(960);
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue({ drawImage: () => {} } as unknown as CanvasRenderingContext2D);
    vi.spyOn(HTMLCanvasElement.prototype, 'toDataURL').mockReturnValue('data:image/jpeg;base64,FRAME');
    // srcObject is not a jsdom property: a plain one stands in.
    Object.defineProperty(HTMLMediaElement.prototype, 'srcObject', { configurable: true, writable: true, value: null });
  });
  afterEach(() => vi.restoreAllMocks());

  function setup(answer: (input: ChannelInput<'persons.setPhoto'>) => ChannelOutput<'persons.setPhoto'>) {
    const api = createFakeApi({ 'persons.setPhoto': answer, 'persons.getPhoto': () => STORED(3) });
    const onSaved = vi.fn();
    const r = renderWithStores(<PhotoCapture personId="p-1" onSaved={onSaved} />, api);
    return { api, onSaved, ...r };
  }

  it('opens the camera for video only, has the core check the frame, shows the portrait, saves it and releases the camera', async () => {
    const { api, onSaved } = setup((i) => ({
      accepted: true,
      findings: [],
      photo: i.dryRun ? null : { personId: 'p-1', version: 3, width: 450, height: 600, source: 'camera', capturedBy: 'grace', capturedAt: '2025-01-01T00:00:00Z' },
      preview: 'PORTRAIT',
      voidedRequests: i.dryRun ? [] : ['req-1'],
    }));
    const user = userEvent.setup();
    await user.click(screen.getByTestId('capture-start'));
    expect(getUserMedia).toHaveBeenCalledWith(expect.objectContaining({ audio: false, video: expect.any(Object) }));
    expect(await screen.findByTestId('capture-video')).toBeTruthy();
    expect(screen.getByTestId('capture-guide')).toBeTruthy();
    await user.click(screen.getByTestId('capture-take'));
    // The camera is released as soon as the frame is taken.
    expect(stop).toHaveBeenCalled();
    const preview = await screen.findByTestId('capture-preview');
    expect(preview.getAttribute('src')).toBe('data:image/jpeg;base64,PORTRAIT');
    const [checked] = api.callsTo('persons.setPhoto') as ChannelInput<'persons.setPhoto'>[];
    // The frame guide's crop: 3:4 of the 4:3 frame's height, centred.
    expect(checked).toEqual({ personId: 'p-1', image: 'FRAME', source: 'camera', crop: { x: expect.any(Number), y: 0, width: expect.any(Number), height: 1 }, dryRun: true });
    expect(checked!.crop!.width * 1280).toBeCloseTo((960 * 3) / 4, 0);
    await user.click(screen.getByTestId('capture-save'));
    expect((await screen.findByTestId('capture-saved')).textContent).toMatch(/approval of the open request is void/);
    const saved = api.callsTo('persons.setPhoto')[1] as ChannelInput<'persons.setPhoto'>;
    expect(saved.dryRun).toBeUndefined();
    expect(saved.image).toBe('FRAME');
    expect(onSaved).toHaveBeenCalledWith(['req-1']);
    // The person's shown photo is loaded again.
    expect(api.callsTo('persons.getPhoto')).toEqual([{ personId: 'p-1' }]);
  });

  it('shows every reason the core refuses a photo, in words, and offers a retake', async () => {
    const { api } = setup(() => ({
      accepted: false,
      findings: [
        { problem: 'too-dark', sentence: 'The photo is too dark: light the face evenly.' },
        { problem: 'too-small', sentence: 'The photo is too small: at least 328 × 438 pixels are needed.' },
      ],
      photo: null,
      preview: null,
      voidedRequests: [],
    }));
    const user = userEvent.setup();
    await user.click(screen.getByTestId('capture-start'));
    await user.click(await screen.findByTestId('capture-take'));
    const findings = await screen.findAllByTestId('capture-finding');
    expect(findings.map((f) => [f.getAttribute('data-problem'), f.textContent])).toEqual([
      ['too-dark', 'The photo is too dark: light the face evenly.'],
      ['too-small', 'The photo is too small: at least 328 × 438 pixels are needed.'],
    ]);
    expect(screen.queryByTestId('capture-save')).toBeNull();
    expect(api.callsTo('persons.setPhoto')).toHaveLength(1);
    await user.click(screen.getByTestId('capture-retake'));
    expect(getUserMedia).toHaveBeenCalledTimes(2);
  });

  it('says so when the camera cannot be opened', async () => {
    getUserMedia.mockRejectedValue(new DOMException('denied', 'NotAllowedError'));
    setup(() => {
      throw new Error('not called');
    });
    await act(async () => {
      screen.getByTestId('capture-start').click();
      await flush();
    });
    expect(screen.getByTestId('capture-error').textContent).toMatch(/camera could not be opened/);
  });

  it('releases the camera when the screen closes', async () => {
    const r = setup(() => {
      throw new Error('not called');
    });
    await userEvent.setup().click(screen.getByTestId('capture-start'));
    await screen.findByTestId('capture-video');
    r.unmount();
    expect(stop).toHaveBeenCalled();
  });
});
