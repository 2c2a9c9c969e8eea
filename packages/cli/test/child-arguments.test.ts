/** Reader children get PostgreSQL URLs without their password (which `ps` would show) and the password in PGPASSWORD. */
import { describe, expect, test } from 'vitest';
import { withoutPasswords } from '../src/child-arguments.js';

describe('withoutPasswords', () => {
  test('moves a URL password to PGPASSWORD, decoded, and leaves other arguments alone', () => {
    const { args, env } = withoutPasswords(['postgres://trader:s%3Acret@db.example:5432/tapes/kernel-001/run-1', '--json']);
    expect(args).toEqual(['postgres://trader@db.example:5432/tapes/kernel-001/run-1', '--json']);
    expect(args.join(' ')).not.toContain('s%3Acret');
    expect(env.PGPASSWORD).toBe('s:cret');
  });

  test('a URL without a password and a directory are passed as given, with no PGPASSWORD added', () => {
    const given = ['postgres://trader@db.example/tapes', './event_store/kernel-001/run.level'];
    const { args, env } = withoutPasswords(given);
    expect(args).toEqual(given);
    expect(env.PGPASSWORD).toBe(process.env.PGPASSWORD);
  });

  test('two URLs with different passwords keep theirs: one variable cannot carry both', () => {
    const { args, env } = withoutPasswords(['postgres://a:one@h/db', 'postgres://b:two@h/db']);
    expect(args).toEqual(['postgres://a@h/db', 'postgres://b:two@h/db']);
    expect(env.PGPASSWORD).toBe('one');
  });
});
