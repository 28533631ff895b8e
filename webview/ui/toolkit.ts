// The only module that knows which web-component library draws the panel's controls.
// @vscode/webview-ui-toolkit is deprecated upstream; swapping it (for @vscode-elements/elements)
// means changing this file and the tag names below.
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeDivider,
  vsCodeProgressRing,
  vsCodeTag,
} from '@vscode/webview-ui-toolkit';

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeDivider(), vsCodeProgressRing(), vsCodeTag());

/** Tag names of the controls, so the rest of the panel does not spell the library's prefix. */
export const Tags = {
  button: 'vscode-button',
  divider: 'vscode-divider',
  progressRing: 'vscode-progress-ring',
  tag: 'vscode-tag',
} as const;

/** Creates a button with a label and a click handler. */
export function createButton(label: string, onClick: () => void, appearance: 'primary' | 'secondary' = 'primary'): HTMLElement {
  const button = document.createElement(Tags.button);
  button.textContent = label;
  button.setAttribute('appearance', appearance);
  button.addEventListener('click', onClick);
  return button;
}

/** Enables or disables a control created here. */
export function setDisabled(control: HTMLElement, disabled: boolean): void {
  control.toggleAttribute('disabled', disabled);
}
