/**
 * A person's photo wherever the person is identified (persons, requests,
 * approvals, production, cards): the portrait the core stores, or a plain
 * "No photo" box. Loaded once per person through the photos store.
 */
import { useEffect } from 'react';
import { usePhotos, useStores } from '../../stores/stores';

export interface PersonPhotoProps {
  personId: string;
  /** Width in CSS pixels (the photo is 3:4). */
  width?: number;
  /** Words for the image (the person's name). */
  name?: string;
}

export function PersonPhoto({ personId, width = 96, name }: PersonPhotoProps) {
  const stores = useStores();
  const photo = usePhotos((s) => s.byPerson[personId]);
  const error = usePhotos((s) => s.errors[personId]);
  useEffect(() => {
    void stores.photos.getState().load(personId);
  }, [personId, stores]);
  const height = Math.round((width * 4) / 3);
  if (photo) {
    return (
      <img
        className="person-photo"
        data-testid="person-photo"
        data-person-id={personId}
        data-version={photo.version}
        src={photo.dataUrl}
        width={width}
        height={height}
        alt={name ? `Photo of ${name}` : 'Photo of the person'}
      />
    );
  }
  return (
    <span className="person-photo missing" data-testid="person-photo-missing" data-person-id={personId} style={{ width, height }} title={error}>
      {photo === null ? 'No photo' : error ? 'Photo unavailable' : '…'}
    </span>
  );
}
