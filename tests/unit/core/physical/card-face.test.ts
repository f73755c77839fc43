/**
 * The card face (FIPS 201-3 §4.1.4): the Zone 2F name rules, every mandatory zone where Figure 4-1
 * and 4-6 put it with the data of the card record, the 15F/18F colours, and the SVG and PDF drawn
 * from the same items (the PDF read back by poppler: ID-1 size, two pages, fonts embedded, text).
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cardFonts } from '../../../../electron/core/physical/card-fonts.js';
import { cardFace, setName, type FaceItem } from '../../../../electron/core/physical/card-face.js';
import { cardSideSvg } from '../../../../electron/core/physical/card-face-svg.js';
import { cardFacePdf } from '../../../../electron/core/physical/card-face-pdf.js';
import { BACK, CARD_MM, COLORS, FRONT, NAME_RIGHT_LIMIT_MM } from '../../../../electron/core/physical/card-geometry.js';
import { printedCardOf, printedInformationOf } from '../../../../electron/core/physical/printed-card.js';
import type { CardLayout } from '../../../../electron/contract/card-layout.js';
import { syntheticPhoto } from '../../../support/portrait-images.js';

const run = promisify(execFile);
const fonts = cardFonts();
const NAME_WIDTH = NAME_RIGHT_LIMIT_MM - FRONT.name.x - 0.35;

const LAYOUT: CardLayout = {
  agencyLines: ['Department of', 'Commerce'],
  affiliationColor: 'green',
  header: null,
  showSeal: false,
  showIssueDate: false,
  orgAbbreviation: null,
  footer: null,
  footerStyle: 'plain',
  returnAddress: [],
  title18Notice: false,
};

function printed(layout: CardLayout = LAYOUT) {
  return printedCardOf({
    person: { givenName: 'Zoë Anne', surname: "O'Brien" },
    card: { expirationDate: '2030-02-07', credentialNumber: '004711' },
    profile: { printedAffiliation: 'Contractor' },
    config: { issuerId: 'DOC000NIST00001' },
    layout,
    issuedOn: new Date('2025-02-07T10:00:00Z'),
  });
}

const texts = (items: FaceItem[], zone: string) => items.filter((i): i is Extract<FaceItem, { kind: 'text' }> => i.kind === 'text' && i.zone === zone);
const inside = (r: { x: number; y: number; width: number; height: number }, x: number, y: number) => x >= r.x - 0.01 && x <= r.x + r.width + 0.01 && y >= r.y - 0.01 && y <= r.y + r.height + 0.01;

describe('Zone 2F name (FIPS 201-3 §4.1.4.1, Table 4-1)', () => {
  it('prints short names at 10 pt, primary and secondary identifier on separate lines', () => {
    expect(setName('DOE', 'JOHN', fonts.bold, NAME_WIDTH)).toEqual({ sizePt: 10, lines: ['DOE,', 'JOHN'], truncated: false });
    expect(setName('SMITH-JONES', 'SUSIE MARGARET', fonts.bold, NAME_WIDTH)).toEqual({ sizePt: 10, lines: ['SMITH-JONES,', 'SUSIE MARGARET'], truncated: false });
  });

  it('goes down in size before wrapping onto three lines, marks each wrapped identifier with ">", and every line fits', () => {
    const long = setName('WARWARNAMBOOL', 'VAASA SILVAAN BEENELONG WOOLOOMOOLOO WARRANDYTE', fonts.bold, NAME_WIDTH);
    expect(long.sizePt).toBe(7);
    expect(long.lines).toHaveLength(3);
    expect(long.truncated).toBe(false);
    expect(long.lines.slice(0, -1).every((l) => l.endsWith('>'))).toBe(true);
    expect(long.lines.join(' ').replace(/> /g, ' ')).toBe('WARWARNAMBOOL, VAASA SILVAAN BEENELONG WOOLOOMOOLOO WARRANDYTE');
    for (const l of long.lines) expect(fonts.bold.widthMm(l, 7)).toBeLessThanOrEqual(NAME_WIDTH);
  });

  it('truncates only what three lines at 7 pt cannot hold', () => {
    const r = setName('WARWARNAMBOOL', 'DINGO PONTOOROOMOOLOO VAASA SILVAAN BEENELONG WOOLOOMOOLOO WARRANDYTE', fonts.bold, NAME_WIDTH);
    expect(r).toMatchObject({ sizePt: 7, truncated: true });
    expect(r.lines).toHaveLength(3);
    for (const l of r.lines) expect(fonts.bold.widthMm(l, 7)).toBeLessThanOrEqual(NAME_WIDTH);
  });

  it('cuts a single word longer than a line', () => {
    const r = setName('A'.repeat(60), 'B', fonts.bold, NAME_WIDTH);
    expect(r.lines[0]!.endsWith('>')).toBe(true);
    for (const l of r.lines) expect(fonts.bold.widthMm(l, r.sizePt)).toBeLessThanOrEqual(NAME_WIDTH);
  });
});

describe('card face zones', () => {
  it('puts the data of the card record in the mandatory zones of Figures 4-1 and 4-6', async () => {
    const photo = await syntheticPhoto({ width: 450, height: 600 });
    const p = printed();
    const face = cardFace({ printed: p, layout: LAYOUT, photo: { bytes: photo, format: 'jpeg' }, seal: null, fonts });
    const f = face.front.items;
    expect(f.find((i) => i.kind === 'image' && i.zone === '1F')).toMatchObject({ rect: FRONT.photo });
    // 1F: 27.75 × 37.0 mm, upper left.
    expect(FRONT.photo.width).toBeCloseTo(27.75);
    expect(FRONT.photo.height).toBeCloseTo(37.0);
    expect(texts(f, '2F').map((t) => t.text)).toEqual(["O'BRIEN,", 'ZOE ANNE']);
    expect(texts(f, '8F').map((t) => t.text)).toEqual(['Affiliation', 'Contractor']);
    expect(texts(f, '10F').map((t) => t.text)).toEqual(['Agency/Department', 'Department of', 'Commerce']);
    expect(texts(f, '14F').map((t) => t.text)).toEqual(['Expires', '2030FEB07']);
    expect(texts(f, '19F').map((t) => t.text)).toEqual(['FEB2030']);
    expect(texts(f, '19F')[0]!.sizePt).toBe(12);
    expect(f.find((i) => i.zone === '15F')).toMatchObject({ kind: 'rect', rect: FRONT.name, fill: COLORS.green });
    expect(texts(f, '18F').map((t) => t.text)).toEqual(['G']);
    const circle = f.find((i) => i.kind === 'circle' && i.zone === '18F') as Extract<FaceItem, { kind: 'circle' }>;
    expect(circle.r * 2).toBeLessThanOrEqual(5);
    // Labels 5 pt, data 6 pt bold (§4.1.4), 14F between 6 and 9 pt bold.
    expect(texts(f, '8F').map((t) => [t.sizePt, t.bold])).toEqual([[5, false], [6, true]]);
    expect(texts(f, '14F')[1]!.sizePt).toBeGreaterThanOrEqual(6);
    expect(texts(f, '14F')[1]!.sizePt).toBeLessThanOrEqual(9);
    // Every text starts inside its zone.
    const zones: Record<string, (typeof FRONT)[keyof typeof FRONT]> = { '2F': FRONT.name, '8F': FRONT.affiliation, '10F': FRONT.agency, '14F': FRONT.expiry, '19F': FRONT.expiryShort };
    for (const [zone, r] of Object.entries(zones)) for (const t of texts(f, zone)) expect(inside(r, t.x, t.y), `${zone} ${t.text}`).toBe(true);
    // Back: 2B issuer id and 1B card serial, 6 pt bold along the right edge.
    const b = face.back.items;
    expect(texts(b, '2B')).toEqual([expect.objectContaining({ text: 'DOC000NIST00001', sizePt: 6, bold: true, rotate: -90 })]);
    expect(texts(b, '1B')).toEqual([expect.objectContaining({ text: '004711', sizePt: 6, bold: true, rotate: -90 })]);
    expect(inside(BACK.issuerId, texts(b, '2B')[0]!.x, texts(b, '2B')[0]!.y)).toBe(true);
    expect(inside(BACK.serial, texts(b, '1B')[0]!.x, texts(b, '1B')[0]!.y)).toBe(true);
    // Nothing is printed on the contact area.
    for (const i of f) if (i.kind !== 'guide' && 'rect' in i) expect(i.rect.y + i.rect.height <= FRONT.contact.y || i.rect.y >= FRONT.contact.y + FRONT.contact.height, i.zone).toBe(true);
  });

  it('prints the chip Printed Information values: the same name, affiliation, agency, expiration, serial and issuer', () => {
    const p = printed();
    expect(printedInformationOf(p)).toEqual({
      name: "O'BRIEN, ZOE ANNE",
      employeeAffiliation: 'Contractor',
      expirationDate: '2030FEB07',
      agencyCardSerial: '004711',
      issuerId: 'DOC000NIST00001',
      organizationAffiliation1: 'Department of',
      organizationAffiliation2: 'Commerce',
    });
  });

  it('white is the absence of printing; blue and the optional zones when the layout enables them', async () => {
    const white = cardFace({ printed: printed({ ...LAYOUT, affiliationColor: 'white' }), layout: { ...LAYOUT, affiliationColor: 'white' }, photo: null, seal: null, fonts });
    expect(white.front.items.some((i) => i.zone === '15F')).toBe(false);
    expect(texts(white.front.items, '18F')[0]!.text).toBe('W');
    expect(white.front.items.find((i) => i.zone === '1F')).toMatchObject({ kind: 'guide' });
    const seal = new Uint8Array(await (await import('sharp')).default({ create: { width: 236, height: 236, channels: 3, background: '#336' } }).png().toBuffer());
    const full: CardLayout = { ...LAYOUT, affiliationColor: 'blue', header: 'United States Government', showSeal: true, showIssueDate: true, orgAbbreviation: 'NIST', footer: 'Federal Emergency Response Official', footerStyle: 'emergency', returnAddress: ['100 Bureau Drive'], title18Notice: true };
    const face = cardFace({ printed: printed(full), layout: full, photo: null, seal: { bytes: seal, format: 'png' }, fonts });
    expect(face.front.items.find((i) => i.zone === '15F')).toMatchObject({ fill: COLORS.blue });
    expect(texts(face.front.items, '18F')[0]!.text).toBe('B');
    expect(texts(face.front.items, '9F')[0]!.text).toBe('United States Government');
    expect(face.front.items.find((i) => i.zone === '11F')).toMatchObject({ kind: 'image', rect: FRONT.seal });
    expect(texts(face.front.items, '13F').map((t) => t.text)).toEqual(['Issued', '2025FEB07']);
    expect(texts(face.front.items, '20F')).toEqual([expect.objectContaining({ text: 'NIST', sizePt: 12 })]);
    expect(face.front.items.find((i) => i.zone === '12F')).toMatchObject({ kind: 'rect', fill: COLORS.red });
    expect(texts(face.front.items, '12F')[0]).toMatchObject({ color: COLORS.white });
    expect(texts(face.back.items, '4B').map((t) => t.text)).toEqual(['If found, return to:', '100 Bureau Drive']);
    expect(texts(face.back.items, '7B').map((t) => t.text).join(' ')).toContain('Section 499, Title 18');
    // The seal lies under the 8F–14F text: drawn before it.
    const order = face.front.items.map((i) => i.zone);
    expect(order.indexOf('11F')).toBeLessThan(order.indexOf('8F'));
  });
});

describe('SVG preview and PDF proof from the same items', () => {
  it('the SVG draws every text item (as outlines with its words as the label) and guides only on screen', async () => {
    const face = cardFace({ printed: printed(), layout: LAYOUT, photo: { bytes: await syntheticPhoto({ width: 450, height: 600 }), format: 'jpeg' }, seal: null, fonts });
    const svg = cardSideSvg(face.front, fonts);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 53.98 85.6" width="53.98mm" height="85.6mm"/);
    for (const t of texts(face.front.items, '2F')) expect(svg).toContain(`aria-label="${t.text.replace("'", "'")}"`);
    expect(svg).toContain('data:image/jpeg;base64,');
    expect(svg).toContain('data-guide="true"');
    expect(cardSideSvg(face.front, fonts, false)).not.toContain('data-guide');
  });

  it('the PDF is two ID-1 pages with Liberation Sans embedded and the card data as text', async () => {
    const face = cardFace({ printed: printed(), layout: LAYOUT, photo: { bytes: await syntheticPhoto({ width: 450, height: 600 }), format: 'jpeg' }, seal: null, fonts });
    const pdf = await cardFacePdf(face, fonts, { title: 'PIV card job-1', date: new Date('2025-02-07T10:00:00Z') });
    const dir = mkdtempSync(join(tmpdir(), 'card-face-'));
    try {
      writeFileSync(join(dir, 'card.pdf'), pdf);
      const info = (await run('pdfinfo', [join(dir, 'card.pdf')])).stdout;
      expect(info).toMatch(/Pages:\s+2/);
      expect(info).toMatch(/Title:\s+PIV card job-1/);
      const [w, h] = info.match(/Page size:\s+([\d.]+) x ([\d.]+) pts/)!.slice(1).map(Number);
      expect((w! * 25.4) / 72).toBeCloseTo(CARD_MM.width, 1);
      expect((h! * 25.4) / 72).toBeCloseTo(CARD_MM.height, 1);
      const fontsOut = (await run('pdffonts', [join(dir, 'card.pdf')])).stdout;
      expect(fontsOut).toMatch(/LiberationSans-Bold\S*\s+CID TrueType\s+Identity-H\s+yes/);
      const text = (await run('pdftotext', [join(dir, 'card.pdf'), '-'])).stdout;
      for (const want of ["O'BRIEN,", 'ZOE ANNE', 'Contractor', 'Department of', '2030FEB07', 'FEB2030', '004711', 'DOC000NIST00001']) expect(text).toContain(want);
      const images = (await run('pdfimages', ['-list', join(dir, 'card.pdf')])).stdout;
      // The portrait: 450 × 600 over 27.75 mm → about 412 DPI, above the 300 DPI minimum.
      const row = images.split('\n').find((l) => /\b450\s+600\b/.test(l))!;
      const [xppi] = row.trim().split(/\s+/).slice(-4, -3).map(Number);
      expect(xppi).toBeGreaterThanOrEqual(300);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
