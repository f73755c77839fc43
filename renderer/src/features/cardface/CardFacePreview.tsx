/**
 * The card face on screen: both sides as the core draws them (SVG, from the
 * same items as the printed PDF, so what the officer sees is what is
 * printed). Shown as images: the SVG is data, never script.
 */
import { useEffect, useState } from 'react';
import type { CardFaceView } from '../../../../electron/contract/station-api';
import { useStores } from '../../stores/stores';

const svgUrl = (svg: string) => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;

/** Both sides of a card face. */
export function CardFacePreview({ face, testId = 'card-face' }: { face: CardFaceView; testId?: string }) {
  return (
    <div className="card-face" data-testid={testId}>
      <figure>
        <img data-testid={`${testId}-front`} src={svgUrl(face.front)} alt="Front of the card" />
        <figcaption className="muted">Front</figcaption>
      </figure>
      <figure>
        <img data-testid={`${testId}-back`} src={svgUrl(face.back)} alt="Back of the card" />
        <figcaption className="muted">Back</figcaption>
      </figure>
    </div>
  );
}

/** The face of a card (`cards.preview`): an approved card object as it will be printed, or a made card. */
export function CardFaceOfCard({ card }: { card: string }) {
  const stores = useStores();
  const [face, setFace] = useState<CardFaceView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void stores.layouts
      .getState()
      .cardFace(card)
      .then((f) => {
        if (!live) return;
        if (typeof f === 'string') setError(f);
        else setFace(f);
      });
    return () => {
      live = false;
    };
  }, [card, stores]);
  if (error) return <p className="muted" data-testid="card-face-error">{error}</p>;
  return face ? <CardFacePreview face={face} /> : <p className="muted">Drawing the card face…</p>;
}
