/**
 * Visual regression of the e2e suite (issue 12 "Also"): a screenshot of a
 * screen in a known state compared with its committed baseline
 * (tests/e2e/baselines/<name>.png) by pixelmatch, with a small tolerance for
 * anti-aliasing. `UPDATE_BASELINES=1` writes the screenshots as the new
 * baselines instead (tests/e2e/README.md).
 *
 * What changes from run to run is neutralised before the shot: animations
 * and the caret are off, the readers panel (the machine's shared readers) is
 * masked, and text that is a date, a time, a duration, a UUID or a long hex
 * serial is replaced by a fixed token, so only layout and words remain.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import type { Page } from 'playwright-core';
import { ROOT } from './station-cli.js';

/** Where the committed baselines live. */
export const BASELINE_DIR = join(ROOT, 'tests', 'e2e', 'baselines');
/** Where a failing comparison leaves the actual shot and the diff image. */
export const VISUAL_DIFF_DIR = join(ROOT, 'test-results', 'visual');
/** pixelmatch's per-pixel colour threshold (0..1; its default is 0.1). */
const PIXEL_THRESHOLD = 0.1;
/** Share of pixels that may differ before a screen counts as changed: 0.2 %. */
export const MAX_DIFF_RATIO = 0.002;

/** True when this run rewrites the baselines. */
export const updatingBaselines = (): boolean => process.env.UPDATE_BASELINES === '1';

/**
 * Replaces volatile text in the page (dates, times, durations, UUIDs, long
 * hex numbers) by fixed tokens. Runs in the page; the replacement is
 * undone by the next render of the text.
 */
async function freezeVolatileText(page: Page): Promise<void> {
  // A string: the tests' type-check has no DOM library; this runs in the page.
  await page.evaluate(FREEZE_SCRIPT);
}

/** The page script of {@link freezeVolatileText}. */
const FREEZE_SCRIPT = String.raw`(() => {
  const month = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\\.?';
  const patterns = [
    /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi,
    /\b\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+Z?)?\b/g,
    new RegExp('\\b\\d{1,2} ' + month + ',? \\d{4}\\b', 'g'),
    new RegExp('\\b' + month + ' \\d{1,2},? \\d{4}\\b', 'g'),
    /\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b/g,
    /\b\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AP]M)?\b/gi,
    /\b\d+(?:\.\d+)? ?(?:ms|s|sec|seconds?|min|minutes?|h|hours?|days?)\b(?: ago)?/g,
    /\b[0-9A-F]{16,}\b/gi,
  ];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    let text = node.nodeValue || '';
    for (const p of patterns) text = text.replace(p, '‹·›');
    if (text !== node.nodeValue) node.nodeValue = text;
  }
  for (const input of Array.from(document.querySelectorAll('input'))) {
    if (patterns.some((p) => input.value.search(p) >= 0)) input.value = '‹·›';
  }
})()`;

/**
 * Takes the page's screenshot as `name` and compares it with the baseline.
 * @returns null when it matches (or the baseline was written), else why not
 *   (size changed, or the share of differing pixels; the actual shot and a
 *   diff image are left in test-results/visual)
 */
export async function compareWithBaseline(page: Page, name: string): Promise<string | null> {
  await freezeVolatileText(page);
  const shot = await page.screenshot({
    fullPage: true,
    animations: 'disabled',
    caret: 'hide',
    mask: [page.getByTestId('readers-panel')],
    maskColor: '#777777',
  });
  const baselinePath = join(BASELINE_DIR, `${name}.png`);
  if (updatingBaselines()) {
    mkdirSync(BASELINE_DIR, { recursive: true });
    writeFileSync(baselinePath, shot);
    return null;
  }
  if (!existsSync(baselinePath)) return `no baseline ${baselinePath}: run the e2e suite with UPDATE_BASELINES=1 and commit it`;
  const actual = PNG.sync.read(shot);
  const expected = PNG.sync.read(readFileSync(baselinePath));
  mkdirSync(VISUAL_DIFF_DIR, { recursive: true });
  if (actual.width !== expected.width || actual.height !== expected.height) {
    writeFileSync(join(VISUAL_DIFF_DIR, `${name}-actual.png`), shot);
    return `${name}: size ${actual.width}×${actual.height}, baseline ${expected.width}×${expected.height}`;
  }
  const diff = new PNG({ width: actual.width, height: actual.height });
  const differing = pixelmatch(actual.data, expected.data, diff.data, actual.width, actual.height, { threshold: PIXEL_THRESHOLD });
  const ratio = differing / (actual.width * actual.height);
  if (ratio <= MAX_DIFF_RATIO) return null;
  writeFileSync(join(VISUAL_DIFF_DIR, `${name}-actual.png`), shot);
  writeFileSync(join(VISUAL_DIFF_DIR, `${name}-diff.png`), PNG.sync.write(diff));
  return `${name}: ${(ratio * 100).toFixed(2)} % of pixels differ (tolerance ${(MAX_DIFF_RATIO * 100).toFixed(1)} %)`;
}
