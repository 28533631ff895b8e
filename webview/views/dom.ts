// Small helpers to build DOM nodes. Views build text with text nodes only (never innerHTML), so
// class names, paths and error messages can never be read as markup.

type AttributeValue = string | number | boolean | undefined;
export type Child = Node | string;

/**
 * Creates an element. `attributes` become attributes (`true` sets a bare attribute, `false` and
 * `undefined` are skipped); string children become text nodes.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, AttributeValue> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) {
      continue;
    }
    element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...children);
  return element;
}

/** A page section with a heading; views fill `body` and leave the heading alone. */
export interface Section {
  section: HTMLElement;
  body: HTMLElement;
}

/** Creates `<section id=…><h2>title</h2><p class="intro">…</p><div class="section-body"/></section>`. */
export function createSection(id: string, title: string, intro?: string): Section {
  const body = h('div', { class: 'section-body' });
  const section = h('section', { id, 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title` }, title));
  if (intro) {
    section.append(h('p', { class: 'intro' }, intro));
  }
  section.append(body);
  return { section, body };
}

/** A muted line that stands in for content not available yet. */
export function placeholder(text: string): HTMLElement {
  return h('p', { class: 'placeholder' }, text);
}
