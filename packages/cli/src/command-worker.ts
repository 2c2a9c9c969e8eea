/**
 * The isolated half of every reading `tapelog` command: runs one command in this child process
 * and exits with its code (see isolated-command). Usage (internal): node command-worker.js <command> [args…]
 */
import { runCommand } from './run-command.js';

process.exitCode = await runCommand(process.argv.slice(2));
