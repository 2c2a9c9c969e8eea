/** The kernel's message classes, gathered for the engines and the public face. */

export * from './account-state.js';
export * from './catalog.js';
export * from './commands.js';
export * from './data-commands.js';
export * from './data-responses.js';
export * from './market-data.js';
export * from './order-events.js';
export * from './position-events.js';
export * from './time-event.js';
export * from './venue-reports.js';
export * from './vocabulary.js';
