/**
 * The portrait rules (FIPS 201-3 §4.1.4.1 Zone 1F) through the real image codec (sharp):
 * each refusal in words, the crop to 3:4, and the stored 450 × 600 JPEG.
 */
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { checkPortrait, MIN_PORTRAIT_PIXELS, portraitRegion, preparePortrait, STORED_PORTRAIT_PIXELS } from '../../../../electron/core/physical/portrait.js';
import { sharpImageCodec } from '../../../../native/image/sharp-codec.js';
import { syntheticPhoto } from '../../../support/portrait-images.js';

const codec = sharpImageCodec();

describe('portraitRegion', () => {
  it('narrows a tall region to 3:4 about its centre, and a wide-but-portrait one likewise', () => {
    expect(portraitRegion({ width: 600, height: 1000 })).toEqual({ left: 0, top: 100, width: 600, height: 800 });
    expect(portraitRegion({ width: 900, height: 1000 })).toEqual({ left: 75, top: 0, width: 750, height: 1000 });
  });
  it('applies a fractional crop and leaves a landscape region as it is (refused later)', () => {
    expect(portraitRegion({ width: 640, height: 480 }, { x: 0.21875, y: 0, width: 0.5625, height: 1 })).toEqual({ left: 140, top: 0, width: 360, height: 480 });
    expect(portraitRegion({ width: 640, height: 480 })).toEqual({ left: 0, top: 0, width: 640, height: 480 });
  });
});

describe('checkPortrait', () => {
  it('keeps a good photo as a 450 × 600 JPEG cropped to the frame', async () => {
    const photo = await syntheticPhoto({ width: 640, height: 480 });
    const r = await checkPortrait(codec, photo, { x: 0.21875, y: 0, width: 0.5625, height: 1 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const meta = await sharp(r.portrait.jpeg).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: STORED_PORTRAIT_PIXELS.width, height: STORED_PORTRAIT_PIXELS.height, isProgressive: false });
    expect(r.region).toEqual({ left: 140, top: 0, width: 360, height: 480 });
  });

  it('accepts PNG and crops a portrait that is not 3:4 itself', async () => {
    const r = await checkPortrait(codec, await syntheticPhoto({ width: 600, height: 1000, format: 'png' }));
    expect(r.ok && r.region).toEqual({ left: 0, top: 100, width: 600, height: 800 });
  });

  it('refuses a landscape photo without a crop, in words', async () => {
    const r = await checkPortrait(codec, await syntheticPhoto({ width: 1000, height: 700 }));
    expect(r).toEqual({ ok: false, findings: [expect.objectContaining({ problem: 'landscape', sentence: expect.stringMatching(/not in portrait orientation/) })] });
  });

  it('refuses a photo too small for 300 DPI and names both sizes', async () => {
    const r = await checkPortrait(codec, await syntheticPhoto({ width: 240, height: 320 }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.findings.map((f) => f.problem)).toEqual(['too-small']);
    expect(r.findings[0]!.sentence).toContain(`${MIN_PORTRAIT_PIXELS.width} × ${MIN_PORTRAIT_PIXELS.height}`);
    expect(r.findings[0]!.sentence).toContain('240 × 320');
  });

  it('refuses too dark, too bright and blank photos', async () => {
    const dark = await checkPortrait(codec, await syntheticPhoto({ width: 450, height: 600, exposure: 0.2 }));
    const bright = await checkPortrait(codec, await syntheticPhoto({ width: 450, height: 600, background: 250, exposure: 1.35 }));
    const blank = await checkPortrait(codec, await syntheticPhoto({ width: 450, height: 600, blank: true }));
    expect(!dark.ok && dark.findings.map((f) => f.problem)).toEqual(['too-dark']);
    expect(!bright.ok && bright.findings.map((f) => f.problem)).toEqual(['too-bright']);
    expect(!blank.ok && blank.findings.map((f) => f.problem)).toEqual(['blank']);
  });

  it('refuses bytes that are no image, and a GIF, with a clear error', async () => {
    await expect(checkPortrait(codec, new TextEncoder().encode('not an image'))).rejects.toMatchObject({ code: 'PHOTO_REJECTED', details: { problem: 'unreadable' } });
    const gif = new Uint8Array(await sharp({ create: { width: 450, height: 600, channels: 3, background: '#888' } }).gif().toBuffer());
    expect(await checkPortrait(codec, gif)).toMatchObject({ ok: false, findings: [{ problem: 'format' }] });
  });
});

describe('preparePortrait', () => {
  it('throws PHOTO_REJECTED with every problem in the sentence', async () => {
    await expect(preparePortrait(codec, await syntheticPhoto({ width: 300, height: 200, exposure: 0.2 }))).rejects.toMatchObject({
      code: 'PHOTO_REJECTED',
      details: { problem: 'landscape' },
      message: expect.stringMatching(/portrait orientation.*too small.*too dark/s),
    });
  });
});
