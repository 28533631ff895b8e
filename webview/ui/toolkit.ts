// The only module that knows which web-component library draws the panel's controls.
// @vscode/webview-ui-toolkit is deprecated upstream; swapping it (for @vscode-elements/elements)
// means changing this file and the tag names below.
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeCheckbox,
  vsCodeDivider,
  vsCodeDropdown,
  vsCodeOption,
  vsCodeProgressRing,
  vsCodeTag,
} from '@vscode/webview-ui-toolkit';

provideVSCodeDesignSystem().register(
  vsCodeButton(),
  vsCodeCheckbox(),
  vsCodeDivider(),
  vsCodeDropdown(),
  vsCodeOption(),
  vsCodeProgressRing(),
  vsCodeTag(),
);

/** Tag names of the controls, so the rest of the panel does not spell the library's prefix. */
export const Tags = {
  button: 'vscode-button',
  checkbox: 'vscode-checkbox',
  divider: 'vscode-divider',
  dropdown: 'vscode-dropdown',
  option: 'vscode-option',
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

/** Ticks or clears a checkbox created here, without calling its change handler. */
export function setChecked(checkbox: HTMLElement, checked: boolean): void {
  (checkbox as CheckboxElement).checked = checked;
}

/** Whether a checkbox created here is ticked. */
export function isChecked(checkbox: HTMLElement): boolean {
  return (checkbox as CheckboxElement).checked === true;
}

/** The dropdown component keeps its choice in a `value` property, like a native select. */
type DropdownElement = HTMLElement & { value: string };

/** Creates a dropdown of `options` ([value, label]) showing `value`; `onChange` gets each new choice. */
export function createDropdown(
  options: readonly (readonly [value: string, label: string])[],
  value: string,
  onChange: (value: string) => void,
): HTMLElement {
  const dropdown = document.createElement(Tags.dropdown) as DropdownElement;
  for (const [optionValue, label] of options) {
    const option = document.createElement(Tags.option) as DropdownElement;
    option.value = optionValue;
    option.textContent = label;
    dropdown.append(option);
  }
  dropdown.value = value;
  dropdown.addEventListener('change', () => onChange(dropdown.value));
  return dropdown;
}

/** Shows `value` in a dropdown created here, without calling its change handler. */
export function setDropdownValue(dropdown: HTMLElement, value: string): void {
  (dropdown as DropdownElement).value = value;
}
