/** The exit codes every `tapelog` command uses, so scripts can rely on them. */

/** Success: a clean run, a found key, a listing or a plan. */
export const EXIT_OK = 0;
/** The data is damaged (findings, corrupt read, crashed or timed-out verify worker), or a key was not found. */
export const EXIT_CORRUPT = 1;
/** The command could not run: usage error, missing or unsealed run, backend or disk failure. */
export const EXIT_ERROR = 2;
