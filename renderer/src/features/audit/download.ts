/**
 * Saves text the station returned as a file in the officer's downloads, via a
 * Blob URL and a temporary link (the renderer has no file system access).
 */

/** MIME types of the audit export formats. */
export const EXPORT_MIME: Record<'csv' | 'json', string> = { csv: 'text/csv;charset=utf-8', json: 'application/json' };

/**
 * Offers `content` (text, or bytes such as a PDF) as a download named `filename`.
 * @param mime the file's media type, e.g. `text/csv;charset=utf-8`
 */
export function downloadText(filename: string, content: string | Uint8Array, mime: string): void {
  const url = URL.createObjectURL(new Blob([content as BlobPart], { type: mime }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // After the click has started the download; the URL is not needed any more.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
