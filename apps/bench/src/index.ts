/** The benchmark harness's shared types and helpers, for scenario files. */
export type { Figure, Scenario, ScenarioOptions, ScenarioResult } from './scenario.js';
export { median, perSecond, percentile, repeat, timeNs } from './stats.js';
