/** Headless Debian chromium through playwright-core, for the measuring script (the tests have their own in test/fixtures). */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export function launchChromium() {
  const executablePath = process.env.CHROMIUM_PATH || ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
  if (executablePath === undefined) throw new Error('no chromium binary: run `bash tooling/ensure-test-deps` as root, or set CHROMIUM_PATH');
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}
