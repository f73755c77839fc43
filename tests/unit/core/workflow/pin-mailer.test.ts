/** The PIN mailer PDF: what a cardholder reads (checked with poppler's pdftotext), and refusals. */
import { describe, expect, test } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderPinMailer } from '../../../../electron/core/workflow/pin-mailer.js';

const execFileAsync = promisify(execFile);

async function pdfText(bytes: Uint8Array): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'mailer-'));
  try {
    writeFileSync(join(dir, 'm.pdf'), bytes);
    const { stdout } = await execFileAsync('pdftotext', ['-layout', join(dir, 'm.pdf'), '-']);
    return stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('PIN mailer', () => {
  test('a one-page PDF with the holder, the card number and the PIN', async () => {
    const pdf = await renderPinMailer({ holderName: 'Zoë Ångström', cardNumber: '00000042', organization: 'PIV Station Test Agency', pin: '480613', date: new Date('2026-11-21T00:00:00Z') });
    expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe('%PDF-');
    const text = await pdfText(pdf);
    expect(text).toContain('PIV Station Test Agency');
    expect(text).toContain('00000042');
    expect(text.replace(/\s+/g, '')).toContain('480613');
    expect(text).toMatch(/Zo.*ngstr/);
    expect(text).toContain('Memorize this PIN');
    expect(text).toContain('Printed 2026-11-21');
  });

  test('refuses a PIN that is not 6–8 digits, without echoing it', async () => {
    await expect(renderPinMailer({ holderName: 'A', cardNumber: '1', organization: 'O', pin: '12a45' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.not.stringContaining('12a45'),
    });
  });
});
