/** @tapelog/inspector: a read-only local web page over a tapelog store. */

export type { Inspector, InspectorOptions } from './server.js';
export { startInspector } from './server.js';
export type { Lane } from './topic-lanes.js';
export { LANES, laneOfTopic } from './topic-lanes.js';
