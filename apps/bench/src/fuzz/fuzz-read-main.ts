/**
 * The child half of the fuzz read-back: reads one copy of the fuzz run and prints its digests as
 * one JSON line. It runs in a child process so a copy that makes LevelDB abort is counted, not fatal.
 * Usage (internal): node fuzz-read-main.js <baseDir> <lookupKeysJsonFile> <level|lmdb>
 */
import { readFileSync } from 'node:fs';
import type { FuzzBackendName } from './fuzz-backend.js';
import { readBack } from './fuzz-readback.js';

const [baseDir, keysFile, backend] = process.argv.slice(2) as [string, string, FuzzBackendName];
const keys = JSON.parse(readFileSync(keysFile, 'utf8')) as Array<[string, string]>;
process.stdout.write(`${JSON.stringify(await readBack(baseDir, keys, backend))}\n`);
