/**
 * Runs a reading command in a child process (command-worker), so a damaged run that makes LevelDB
 * abort its reader (a native assertion, SIGABRT) ends the child, never the operator's command:
 * the parent then prints one `corrupt path=… code=CORRUPTED` line and exits 1. Every command but
 * `verify` (which isolates its own worker) runs this way; it costs one Node start per command.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readerSpawnCommand } from '@tapelog/core/reader-spawn';
import { withoutPasswords } from './child-arguments.js';
import { commandSubject } from './command-subject.js';
import { EXIT_CORRUPT, EXIT_ERROR } from './exit-codes.js';

function workerScript(): string {
  return fileURLToPath(new URL('./command-worker.js', import.meta.url));
}

/**
 * Runs `tapelog <name> <argv…>` in a child with this process's stdout. Its stderr is relayed
 * as it comes on a terminal (progress bars); otherwise it is held until the child ends, so a
 * child that dies leaves exactly one line for scripts, not the native assertion text.
 */
export function runCommandIsolated(name: string, argv: readonly string[]): Promise<number> {
  const live = process.stderr.isTTY === true;
  return new Promise((settle) => {
    const passwordless = withoutPasswords(argv);
    const command = readerSpawnCommand([workerScript(), name, ...passwordless.args]);
    const child = spawn(command.command, command.args, { stdio: ['inherit', 'inherit', live ? 'inherit' : 'pipe'], env: passwordless.env });
    const held: Buffer[] = [];
    child.stderr?.on('data', (chunk: Buffer) => held.push(chunk));
    child.on('error', (error) => {
      process.stderr.write(`error: cannot start the reader process: ${error.message}\n`);
      settle(EXIT_ERROR);
    });
    child.on('close', (code, signal) => {
      if (code !== null && signal === null) {
        process.stderr.write(Buffer.concat(held));
        return settle(code);
      }
      const subject = commandSubject(name, argv);
      // The line integrityErrorLine prints for a CORRUPTED error; built here so this module loads no backend.
      const message = `corrupted run: reading ${subject} brought the reader process down (killed by ${signal ?? 'an unknown signal'}); the run is damaged, verify it`;
      process.stderr.write(`corrupt path=${subject} code=CORRUPTED error="${message}"\n`);
      settle(EXIT_CORRUPT);
    });
  });
}
