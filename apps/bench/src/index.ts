/** The benchmark harness's shared types and helpers, for scenario files. */
export type { Chart, ChartSeries, Figure, Scenario, ScenarioOptions, ScenarioResult, Table } from './scenario.js';
export { median, percentile, perSecond, repeat, timeNs } from './stats.js';
