// The sections of the classifier panel, in the tutorial's order: a walkthrough step links to one
// (the host's fashionClassifier.showSection, the page's webview/views/sectionLinks.ts).

/** Each is `<section id="<name>-section">` in the page. */
export const PANEL_SECTIONS = ['data', 'model', 'training', 'evaluation', 'predictions', 'inside', 'runs'] as const;
export type PanelSection = (typeof PANEL_SECTIONS)[number];
