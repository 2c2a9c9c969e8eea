/**
 * How tapelog starts a child process that reads a run which may be damaged: core dumps off, so a
 * reader that a damaged file makes abort (LevelDB does on some damaged tables) leaves no core
 * file behind in the operator's directory; the parent reports the damage in one line instead.
 */

/** The command and arguments that run `node <args…>` with core dumps disabled (through `sh` on POSIX). */
export function readerSpawnCommand(args: readonly string[]): { command: string; args: string[] } {
  if (process.platform === 'win32') return { command: process.execPath, args: [...args] };
  return { command: '/bin/sh', args: ['-c', 'ulimit -c 0; exec "$0" "$@"', process.execPath, ...args] };
}
