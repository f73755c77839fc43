/**
 * Accessibility checks of the e2e suite (issue 12 "Also"): axe-core run in
 * the page by @axe-core/playwright against WCAG 2.x A and AA rules
 * (https://github.com/dequelabs/axe-core/blob/develop/doc/API.md#options-parameter
 * runOnly tags). A screen passes when axe finds no violation of impact
 * "serious" or "critical"; lesser findings are returned for the log.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/** axe's rule sets the checks run: WCAG 2.0/2.1/2.2 levels A and AA. */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** One axe violation in short: rule, impact, help text and the first offending elements. */
export interface AxeFinding {
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core on the page as it is now (dialogs and confirmations open as
 * the caller left them).
 * @returns the serious and critical violations (the failures) and the others (for the log)
 */
export async function axeFindings(page: Page): Promise<{ serious: AxeFinding[]; minor: AxeFinding[] }> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const all = results.violations.map((v) => ({
    rule: v.id,
    impact: v.impact ?? 'unknown',
    help: v.help,
    targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
  }));
  const isSerious = (f: AxeFinding) => f.impact === 'serious' || f.impact === 'critical';
  return { serious: all.filter(isSerious), minor: all.filter((f) => !isSerious(f)) };
}

/** The findings as lines for an assertion message: `rule (impact): help — targets`. */
export function describeFindings(findings: readonly AxeFinding[]): string {
  return findings.map((f) => `${f.rule} (${f.impact}): ${f.help} — ${f.targets.join(', ')}`).join('\n');
}
