/** @tapelog/cli: the `tapelog` command, also callable in-process. */

export { parseRetentionMode } from './commands/retention.js';
export { DEFAULT_VERIFY_TIMEOUT_SECS, VERIFY_TIMEOUT_ENVIRONMENT_VARIABLE, verifyTimeoutSeconds } from './commands/verify.js';
export { EXIT_CORRUPT, EXIT_ERROR, EXIT_OK } from './exit-codes.js';
export { main, USAGE } from './main.js';
export type { RunCoordinates } from './run-path.js';
export { parseRunPath, storeOfRun } from './run-path.js';
