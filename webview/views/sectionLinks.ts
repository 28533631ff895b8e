// Brings one section of the classifier panel into view for a link from outside the panel (a
// walkthrough step): scrolled to its top, its heading focused so that keyboard and screen-reader
// users land where sighted ones do.
//
// DOM for tests: the section's h2 gets tabindex="-1" and the keyboard focus; the page's <body>
// gets data-revealed-section="<name>" once it scrolled there.
import type { PanelSection } from '../../src/shared/panelSections';

export function revealSection(section: PanelSection): void {
  const element = document.getElementById(`${section}-section`);
  if (!element) {
    return;
  }
  const heading = element.querySelector('h2');
  // scroll-margin in panel.css keeps the heading clear of the sticky status line.
  element.scrollIntoView({ block: 'start' });
  if (heading) {
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
  }
  document.body.dataset.revealedSection = section;
}
