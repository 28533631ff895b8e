// A failure shown where it happened: its sentences and a button per action that fixes it
// (Open Setting, Retry, Train now, Show Log).
//
// DOM for tests:
//   .problem[data-problem]                  the message; data-problem is a short name of its kind
//   .problem .problem-action[data-action]   one button per action, data-action its kind
import { actionLabel, Problem, UserAction } from '../../src/shared/panelMessages';
import { createButton } from '../ui/toolkit';
import { h } from './dom';

export function createProblemElement(
  problem: Problem,
  onAction: (action: UserAction) => void,
  kind = 'error',
): HTMLElement {
  const buttons = problem.actions.map((action, i) => {
    const button = createButton(actionLabel(action), () => onAction(action), i === 0 ? 'primary' : 'secondary');
    button.classList.add('problem-action');
    button.dataset.action = action.kind;
    return button;
  });
  return h(
    'div',
    { class: 'problem', role: 'alert', 'data-problem': kind },
    h('p', { class: 'problem-message' }, problem.message),
    ...(buttons.length ? [h('div', { class: 'button-row' }, ...buttons)] : []),
  );
}
