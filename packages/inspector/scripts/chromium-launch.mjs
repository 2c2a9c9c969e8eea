/**
 * Headless Chromium for the browser tests and the measuring script: Debian's `chromium` (installed
 * by tooling/ensure-test-deps), driven by playwright-core. `CHROMIUM_PATH` names another binary.
 */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export function launchChromium() {
  const named = process.env.CHROMIUM_PATH;
  const executablePath = named !== undefined && named !== '' ? named : ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
  if (executablePath === undefined)
    throw new Error("no chromium binary: run `bash tooling/ensure-test-deps` as root (it installs Debian's chromium) or set CHROMIUM_PATH");
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}
