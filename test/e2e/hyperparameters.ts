// Changing a hyperparameter in the classifier panel as a learner does: type it, leave the field,
// and wait until the panel shows the setting written back.
import type { FrameLocator } from 'playwright-core';

export async function setInPanel(panel: FrameLocator, key: string, value: string): Promise<void> {
  const input = panel.locator(`#hyperparameters input[name="${key}"]`);
  await input.fill(value);
  await input.press('Tab');
  await panel.locator(`#hyperparameters dd[data-key="${key}"][data-value="${value}"]`).waitFor({ timeout: 30_000 });
}
