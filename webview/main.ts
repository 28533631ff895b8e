import { assertNever, HostToWebview } from '../src/shared/protocol';
import type { TrainingSettings } from '../src/shared/settings';
import './ui/toolkit';
import { onHostMessage, vscode } from './vscodeApi';

const app = document.getElementById('app')!;

function renderSettings(settings: TrainingSettings): void {
  const list = document.getElementById('settings') ?? app.appendChild(document.createElement('dl'));
  list.id = 'settings';
  list.replaceChildren(
    ...Object.entries(settings).flatMap(([key, value]) => {
      const term = document.createElement('dt');
      term.textContent = key;
      const detail = document.createElement('dd');
      detail.textContent = String(value);
      return [term, detail];
    }),
  );
}

function handle(message: HostToWebview): void {
  switch (message.type) {
    case 'init':
    case 'settingsChanged':
      document.getElementById('status')!.textContent = 'Ready to train.';
      renderSettings(message.settings);
      break;
    default:
      assertNever(message);
  }
}

app.innerHTML = `<h1>Fashion Classifier</h1><p id="status">Connecting to the editor…</p>`;
onHostMessage(handle);
vscode.postMessage({ type: 'ready' });
