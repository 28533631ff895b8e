// The panel's status line: one short message about what is happening or what went wrong.
// It sits at the top of the page and stays in view while scrolling, because errors (data set
// missing, WebGL lost mid-run) can happen while the learner looks at any section.
//
// DOM for tests:
//   #status                 the message text
//   #status[data-kind]      "info" | "busy" | "success" | "warning" | "error"
import { h } from './dom';

export type StatusKind = 'info' | 'busy' | 'success' | 'warning' | 'error';

export interface StatusView {
  readonly element: HTMLElement;
  /** Replaces the message. Errors are announced at once to screen readers, the rest politely. */
  show(message: string, kind?: StatusKind): void;
}

export function createStatusView(): StatusView {
  const element = h('div', {
    id: 'status',
    class: 'status',
    'data-kind': 'info',
    role: 'status',
    'aria-live': 'polite',
  });
  const setKind = (kind: StatusKind) => {
    element.dataset.kind = kind;
    element.setAttribute('aria-live', kind === 'error' ? 'assertive' : 'polite');
  };
  return {
    element,
    show(message, kind = 'info') {
      element.textContent = message;
      setKind(kind);
    },
  };
}
