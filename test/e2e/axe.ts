// axe-core's WCAG 2.1 A and AA rules run inside a panel's page, as an accessibility checker does.
// The script is evaluated through the browser's debugging protocol, which the page's Content
// Security Policy (no inline scripts, and for the results panel no eval) does not govern.
import { readFileSync } from 'node:fs';
import type { Frame, Page } from 'playwright-core';
import { retry } from '../harness/browser';
import { extensionId } from '../harness/paths';

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The rule sets of WCAG 2.0 and 2.1, levels A and AA. */
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string; html: string; summary: string }[];
}

/**
 * The page (the inner frame) of this extension's webview that has `selector`, on screen: axe
 * cannot judge the colours of a page that is hidden, and would pass it.
 */
export async function panelFrameWith(page: Page, selector: string, timeoutMs = 60_000): Promise<Frame> {
  return retry(async () => {
    const outers = await page.locator(`iframe.webview.ready[src*="extensionId=${extensionId}"]`).elementHandles();
    for (const outer of outers) {
      if (!(await outer.isVisible())) {
        continue;
      }
      const inner = await (await outer.contentFrame())?.$('#active-frame');
      const frame = await inner?.contentFrame();
      if (frame && (await frame.$(selector))) {
        return frame;
      }
    }
    throw new Error(`No webview shows ${selector}`);
  }, timeoutMs);
}

/** Runs WCAG 2.1 A/AA rules over the frame's whole document; the violations, each with its elements. */
export async function axeViolations(frame: Frame): Promise<AxeViolation[]> {
  if (!(await frame.evaluate('typeof window.axe === "object"'))) {
    await frame.evaluate(AXE_SOURCE);
  }
  return frame.evaluate(async (tags) => {
    const axe = (globalThis as unknown as { axe: { run: (...args: unknown[]) => Promise<AxeResults> } }).axe;
    interface AxeResults {
      violations: {
        id: string;
        impact: string | null;
        help: string;
        nodes: { target: unknown[]; html: string; failureSummary?: string }[];
      }[];
    }
    const results = await axe.run((globalThis as unknown as { document: unknown }).document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.map((node) => ({
        target: node.target.join(' '),
        html: node.html.slice(0, 200),
        summary: node.failureSummary ?? '',
      })),
    }));
  }, WCAG_21_AA);
}

/** The violations as lines a person can act on. */
export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}, ${v.nodes.length} element(s)\n` +
        v.nodes
          .slice(0, 40)
          .map((n) => `    ${n.target}\n      ${n.html}\n      ${n.summary.replace(/\n/g, '\n      ')}`)
          .join('\n'),
    )
    .join('\n');
}
