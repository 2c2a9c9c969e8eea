/**
 * Where the writer thread imports its backend from. The thread's own module lives in the writer's
 * `dist/`, so a relative path handed to it would be read from there; it is turned into a file URL
 * against the working directory first, as a user typing a path expects.
 */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * `./x.js` and `../x.js` are taken from `process.cwd()`, an absolute path becomes its file URL;
 * package names and URLs (`file:`, `data:`, `import.meta.resolve(...)` results) pass unchanged.
 */
export function backendModuleSpecifier(module: string): string {
  if (module.startsWith('./') || module.startsWith('../') || module === '.' || module === '..') return pathToFileURL(resolve(module)).href;
  if (isAbsolute(module)) return pathToFileURL(module).href;
  return module;
}
