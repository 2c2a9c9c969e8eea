/** The `kernel` command's own flags: help and version answer on stdout with exit 0; a wrong command is exit 2. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

function kernel(args: string[]) {
  const result = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('kernel command line', () => {
  it.each(['--help', '-h', 'help', 'run --help'])('kernel %s prints the usage on stdout and exits 0', (args) => {
    const result = kernel(args.split(' '));
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^usage: kernel run \[options\]\n/);
  });

  it('--version prints the version of the kernel app and exits 0', () => {
    const { version } = JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8')) as { version: string };
    expect(kernel(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('an unknown command exits 2 naming it, with the usage on stderr and nothing on stdout', () => {
    const result = kernel(['trade']);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toContain('unknown command "trade"');
    expect(result.stderr).toContain('usage: kernel run [options]');
  });
});
