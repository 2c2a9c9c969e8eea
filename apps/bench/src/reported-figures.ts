/**
 * Figures an earlier issue asked to see without setting a threshold: the report lists them with
 * the targets, as "reported", so every figure an issue named is found in one table.
 */

export interface ReportedFigure {
  scenario: string;
  figure: string;
  source: string;
}

export const REPORTED_FIGURES: readonly ReportedFigure[] = [
  { scenario: 'writer', figure: 'submit→durable latency p50 at 10,000/s offered', source: 'writer issue (issue 4)' },
  { scenario: 'writer', figure: 'submit→durable latency p99 at 10,000/s offered', source: 'writer issue (issue 4)' },
  { scenario: 'verify', figure: 'recovery sweep of the crashed run', source: 'recovery/cli issue (issue 6)' },
  { scenario: 'markers', figure: 'markers on, added cost per data message', source: 'markers issue (issue 7)' },
  { scenario: 'capture', figure: 'data message: added by markers on, over markers off (p50)', source: 'markers issue (issue 7)' },
  { scenario: 'kernel', figure: 'event store on / off (median of paired ratios)', source: 'bench issue (kernel end to end)' },
  { scenario: 'kernel', figure: 'kernel, event store on, trading only (session overhead subtracted)', source: 'bench issue (kernel end to end)' },
];
