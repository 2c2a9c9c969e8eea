/** PostgreSQL store and run URLs on the command line: parsed into provider coordinates, shown without the password. */
import { expect, test } from 'vitest';
import { UsageError } from '../src/command-line.js';
import { displayStore } from '../src/open-run.js';
import { parseRunPath } from '../src/run-path.js';
import { parsePostgresRunUrl, parsePostgresStore } from '../src/store-url.js';

test('a run URL names database, instance and run; the schema comes from ?schema=', () => {
  const run = parsePostgresRunUrl('postgres://desk:s3cret@db.example:5433/tapelog/trader-001/run-7?schema=desk_a&sslmode=require');
  expect(run).toMatchObject({ instanceId: 'trader-001', runId: 'run-7', schema: 'desk_a' });
  expect(run.connectionString).toBe('postgres://desk:s3cret@db.example:5433/tapelog?sslmode=require');
  expect(run.display).toBe('postgres://desk@db.example:5433/tapelog/trader-001/run-7');
});

test('parseRunPath keeps the password only in the store it hands to the provider, never in the display path', () => {
  const coordinates = parseRunPath('postgresql://desk:s3cret@db.example/tapelog/trader-001/run-7');
  expect(coordinates.path).not.toContain('s3cret');
  expect(coordinates.baseDir).toContain('s3cret');
  expect([coordinates.instanceId, coordinates.runId]).toEqual(['trader-001', 'run-7']);
});

test('a URL that names no run is a usage error that does not echo the password', () => {
  let caught: unknown;
  try {
    parsePostgresRunUrl('postgres://desk:s3cret@db.example/tapelog/trader-001');
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(UsageError);
  expect((caught as Error).message).toMatch(/does not name a run/);
  expect((caught as Error).message).not.toContain('s3cret');
});

test('store URLs are shown redacted; directories as given', () => {
  expect(parsePostgresStore('postgres://desk:s3cret@db.example/tapelog?schema=a').display).toBe('postgres://desk@db.example/tapelog?schema=a');
  expect(displayStore('postgres://desk:s3cret@db.example/tapelog')).toBe('postgres://desk@db.example/tapelog');
  expect(displayStore('./event_store')).toBe('./event_store');
});
