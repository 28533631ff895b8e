// The only module that knows which web-component library draws the panel's controls.
// @vscode/webview-ui-toolkit is deprecated upstream; swapping it (for @vscode-elements/elements)
// means changing this file and the tag names below.
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeCheckbox,
  vsCodeDivider,
  vsCodeProgressRing,
  vsCodeTag,
} from '@vscode/webview-ui-toolkit';

provideVSCodeDesignSystem().register(
  vsCodeButton(),
  vsCodeCheckbox(),
  vsCodeDivider(),
  vsCodeProgressRing(),
  vsCodeTag(),
);

/** Tag names of the controls, so the rest of the panel does not spell the library's prefix. */
export const Tags = {
  button: 'vscode-button',
  checkbox: 'vscode-checkbox',
  divider: 'vscode-divider',
  progressRing: 'vscode-progress-ring',
  tag: 'vscode-tag',
} as const;

/** Creates a button with a label and a click handler. */
export function createButton(
  label: string,
  onClick: () => void,
  appearance: 'primary' | 'secondary' = 'primary',
): HTMLElement {
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

/** The checkbox component keeps its state in a `checked` property, like a native checkbox. */
type CheckboxElement = HTMLElement & { checked: boolean };

/** Creates a checkbox with a label; `onChange` gets the new state after each toggle. */
export function createCheckbox(label: string, onChange: (checked: boolean) => void): HTMLElement {
  const checkbox = document.createElement(Tags.checkbox) as CheckboxElement;
  checkbox.textContent = label;
  checkbox.addEventListener('change', () => onChange(checkbox.checked));
  return checkbox;
}

/** Whether a checkbox created here is ticked. */
export function isChecked(checkbox: HTMLElement): boolean {
  return (checkbox as CheckboxElement).checked === true;
}
