// The integration suite's entry point: the editor loads this module in its extension host and
// calls `run()`. Used by @vscode/test-electron (desktop VS Code) and by code-server alike.
import { appendFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';

/**
 * Mocha's reporters print through `Base.consoleLog`. Inside code-server the extension host's
 * console does not reach the terminal that started the tests, so the report is also written to
 * the file named by FASHION_TEST_REPORT for the runner to print.
 */
function mirrorReportTo(file: string | undefined): void {
  if (!file) {
    return;
  }
  writeFileSync(file, '');
  const base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void };
  const original = base.consoleLog;
  base.consoleLog = (...args: unknown[]) => {
    appendFileSync(file, format(...args) + '\n');
    original(...args);
  };
}

export function run(): Promise<void> {
  mirrorReportTo(process.env.FASHION_TEST_REPORT);
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 120_000 });
  for (const file of readdirSync(__dirname).filter((f) => f.endsWith('.test.js'))) {
    mocha.addFile(join(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} integration test(s) failed.`)) : resolve()));
  });
}
