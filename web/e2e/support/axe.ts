import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(join(dirname(require.resolve('axe-core')), 'axe.min.js'), 'utf8');

/** The WCAG 2.0 and 2.1 rules, levels A and AA. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; summary: string }[];
}

/**
 * Runs axe-core on the page as it is now. axe is put in the page with page.evaluate rather than a
 * <script> tag: the page's Content-Security-Policy refuses inline scripts (as it should), and
 * evaluation through the DevTools protocol is not subject to it, so the check adds no CSP
 * violation of its own to the console.
 */
export async function axeViolations(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: unknown) => Promise<{ violations: any[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n: { target: string[]; failureSummary?: string }) => ({ target: n.target, summary: n.failureSummary ?? '' })),
    }));
  }, WCAG_TAGS);
}

export const isSerious = (v: Violation) => v.impact === 'serious' || v.impact === 'critical';

export function describeViolations(where: string, violations: readonly Violation[]): string {
  return violations
    .map((v) => `${where}: ${v.id} (${v.impact}) ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.summary.replace(/\n/g, ' ')}`).join('\n')}`)
    .join('\n');
}

/** Collects what the browser reports about Content-Security-Policy violations on a page. */
export function watchCsp(page: Page): string[] {
  const reports: string[] = [];
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) reports.push(`${page.url()}: ${message.text()}`);
  });
  return reports;
}
