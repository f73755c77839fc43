/**
 * Taking the cardholder's photo (issue 11): the camera's live picture with a
 * frame guide for a full-frontal head-and-shoulders portrait, Take / Retake,
 * or a JPEG/PNG file imported instead. What the officer took is first checked
 * by the core (a dry run): either the portrait as it will be stored and
 * printed, or every reason it is refused, in words (too small, too dark or
 * bright, not portrait). Save stores it; the core audits who replaced it.
 * The camera is asked for video only, and released when the screen closes.
 */
import { useEffect, useRef, useState, type ChangeEvent } from 'react';
import type { PhotoFindingView } from '../../../../electron/contract/station-api';
import { useStores } from '../../stores/stores';
import type { PhotoOffer } from '../../stores/photos-store';
import { guideCrop, sentSize } from './capture-frame';

type Stage = { kind: 'idle' } | { kind: 'camera' } | { kind: 'checking' } | { kind: 'review'; offer: PhotoOffer; preview: string } | { kind: 'refused'; findings: PhotoFindingView[] };

export interface PhotoCaptureProps {
  personId: string;
  /** Called once a photo was stored. */
  onSaved?(voidedRequests: string[]): void;
}

/** The base64 part of a data URL. */
const base64Of = (dataUrl: string) => dataUrl.slice(dataUrl.indexOf(',') + 1);

/** Draws `source` (w × h) on a canvas at `size` and returns a JPEG data URL. */
function toJpeg(source: CanvasImageSource, size: { width: number; height: number }): string {
  const canvas = document.createElement('canvas');
  canvas.width = size.width;
  canvas.height = size.height;
  const g = canvas.getContext('2d');
  if (!g) throw new Error('This window cannot draw images.');
  g.drawImage(source, 0, 0, size.width, size.height);
  return canvas.toDataURL('image/jpeg', 0.92);
}

export function PhotoCapture({ personId, onSaved }: PhotoCaptureProps) {
  const stores = useStores();
  const video = useRef<HTMLVideoElement>(null);
  const stream = useRef<MediaStream | null>(null);
  const [stage, setStage] = useState<Stage>({ kind: 'idle' });
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  const stopCamera = () => {
    stream.current?.getTracks().forEach((t) => t.stop());
    stream.current = null;
  };
  useEffect(() => stopCamera, []);

  async function startCamera() {
    setError(null);
    setSaved(null);
    try {
      stream.current = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 1280 }, height: { ideal: 960 } }, audio: false });
      setStage({ kind: 'camera' });
    } catch {
      setError('The camera could not be opened: is one connected, and allowed for the station?');
    }
  }

  // The video element exists once the camera stage renders: attach the stream then.
  useEffect(() => {
    if (stage.kind === 'camera' && video.current && stream.current && video.current.srcObject !== stream.current) {
      video.current.srcObject = stream.current;
      void video.current.play().catch(() => {});
    }
  }, [stage]);

  async function check(offer: PhotoOffer) {
    setStage({ kind: 'checking' });
    const r = await stores.photos.getState().check(personId, offer);
    if (r.kind === 'accepted') setStage({ kind: 'review', offer, preview: r.preview });
    else if (r.kind === 'refused') setStage({ kind: 'refused', findings: r.findings });
    else {
      setError(r.sentence);
      setStage({ kind: 'idle' });
    }
  }

  function take() {
    const v = video.current;
    if (!v || v.videoWidth === 0) {
      setError('The camera shows no picture yet.');
      return;
    }
    const image = base64Of(toJpeg(v, sentSize(v.videoWidth, v.videoHeight)));
    stopCamera();
    void check({ image, source: 'camera', crop: guideCrop(v.videoWidth, v.videoHeight) });
  }

  async function importFile(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    setError(null);
    setSaved(null);
    stopCamera();
    try {
      const bitmap = await createImageBitmap(file);
      // Sent as a JPEG no larger than the bridge carries; a landscape file is cropped like the camera's frame.
      const image = base64Of(toJpeg(bitmap, sentSize(bitmap.width, bitmap.height)));
      const crop = bitmap.width > bitmap.height ? guideCrop(bitmap.width, bitmap.height) : undefined;
      bitmap.close();
      void check({ image, source: 'file', ...(crop ? { crop } : {}) });
    } catch {
      setError('The file is not an image the station can read (JPEG or PNG).');
    }
  }

  async function save() {
    if (stage.kind !== 'review') return;
    const r = await stores.photos.getState().save(personId, stage.offer);
    if (r.kind === 'accepted') {
      setStage({ kind: 'idle' });
      setSaved(r.voidedRequests.length > 0 ? 'Photo saved. The approval of the open request is void: it needs a new approval.' : 'Photo saved.');
      onSaved?.(r.voidedRequests);
    } else if (r.kind === 'refused') setStage({ kind: 'refused', findings: r.findings });
    else setError(r.sentence);
  }

  return (
    <div className="photo-capture" data-testid="photo-capture" data-stage={stage.kind}>
      {stage.kind === 'camera' && (
        <div className="camera">
          <div className="camera-frame">
            <video ref={video} data-testid="capture-video" muted playsInline />
            {/* The guide: a centred 3:4 frame; the head from its top to the shoulders. */}
            <div className="frame-guide" data-testid="capture-guide" aria-hidden="true" />
          </div>
          <p className="muted">Face the camera, head and shoulders inside the frame, neutral expression.</p>
          <div className="row">
            <button type="button" className="primary" data-testid="capture-take" onClick={take}>
              Take photo
            </button>
            <button
              type="button"
              onClick={() => {
                stopCamera();
                setStage({ kind: 'idle' });
              }}
            >
              Close camera
            </button>
          </div>
        </div>
      )}
      {stage.kind === 'checking' && <p className="muted">Checking the photo…</p>}
      {stage.kind === 'review' && (
        <div className="review">
          <img data-testid="capture-preview" src={stage.preview} width={150} height={200} alt="The portrait as it will be stored and printed" />
          <div className="row">
            <button type="button" className="primary" data-testid="capture-save" onClick={() => void save()}>
              Save photo
            </button>
            <button type="button" data-testid="capture-retake" onClick={() => void startCamera()}>
              Retake
            </button>
          </div>
        </div>
      )}
      {stage.kind === 'refused' && (
        <div role="alert" data-testid="capture-refused">
          <p className="error">This photo cannot be used:</p>
          <ul>
            {stage.findings.map((f) => (
              <li key={f.problem} className="error" data-testid="capture-finding" data-problem={f.problem}>
                {f.sentence}
              </li>
            ))}
          </ul>
          <button type="button" data-testid="capture-retake" onClick={() => void startCamera()}>
            Retake
          </button>
        </div>
      )}
      {(stage.kind === 'idle' || stage.kind === 'refused') && (
        <div className="row">
          {stage.kind === 'idle' && (
            <button type="button" data-testid="capture-start" onClick={() => void startCamera()}>
              Take photo with the camera
            </button>
          )}
          <label className="file-button">
            Import a JPEG or PNG file: <input type="file" accept="image/jpeg,image/png" data-testid="capture-file" onChange={(e) => void importFile(e)} />
          </label>
        </div>
      )}
      {error && (
        <p className="error" role="alert" data-testid="capture-error">
          {error}
        </p>
      )}
      {saved && (
        <p role="status" data-testid="capture-saved">
          {saved}
        </p>
      )}
    </div>
  );
}
