// Where the time goes between the panel's page starting and the first trained batch: each step
// marks its moment (milliseconds since the page started), for the log and the end-to-end test.
//
// DOM for tests:
//   #startup-timings[data-<step>]   milliseconds since the page started, e.g. data-dataset-loaded
//   #startup-timings[data-origin]   when the page started, in milliseconds since 1970 (to line the
//                                   marks up with clocks outside the page)

const element = document.createElement('div');
element.id = 'startup-timings';
element.hidden = true;
element.dataset.origin = String(Math.round(performance.timeOrigin));
const marks: Record<string, number> = {};

/** Records the first time `step` happens (later ones are not start-up). */
export function markStartup(step: string): void {
  if (marks[step] !== undefined) {
    return;
  }
  marks[step] = Math.round(performance.now());
  element.setAttribute(`data-${step}`, String(marks[step]));
  if (!element.isConnected) {
    document.body.append(element);
  }
}

/** The marks so far, as "step at N ms" in order. */
export function describeStartup(): string {
  return Object.entries(marks)
    .sort(([, a], [, b]) => a - b)
    .map(([step, ms]) => `${step} ${ms} ms`)
    .join(', ');
}
