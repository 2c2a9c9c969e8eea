/**
 * The lanes of the timeline: every entry falls into one topic family (commands, order events,
 * position/account events, timers, venue reports, requests/responses, lifecycle, other), decided
 * by its topic alone so the page and the server agree without reading payloads.
 */

export const LANES = ['lifecycle', 'commands', 'order events', 'position/account', 'timers', 'venue reports', 'requests/responses', 'other'] as const;
export type Lane = (typeof LANES)[number];

/** Prefix rules, first match wins; `.execute` endpoints are commands. */
const PREFIX_RULES: ReadonlyArray<readonly [string, Lane]> = [
  ['run.lifecycle', 'lifecycle'],
  ['clock.', 'timers'],
  ['reconciliation.', 'venue reports'],
  ['DataEngine.request', 'requests/responses'],
  ['data.response', 'requests/responses'],
  ['ExecEngine.process', 'order events'],
  ['events.order', 'order events'],
  ['Portfolio.update_order', 'order events'],
  ['events.position', 'position/account'],
  ['events.account', 'position/account'],
  ['Portfolio.update_account', 'position/account'],
];

/** The index into LANES of a topic's lane. */
export function laneOfTopic(topic: string): number {
  for (const [prefix, lane] of PREFIX_RULES) if (topic.startsWith(prefix)) return LANES.indexOf(lane);
  if (topic.endsWith('.execute')) return LANES.indexOf('commands');
  return LANES.indexOf('other');
}
