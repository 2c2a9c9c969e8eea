/**
 * The page the server hands out: one HTML document and the bundle built from `src/page` at build
 * time (`dist/page/app.js`, `app.css`). Nothing is fetched from anywhere else.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tapelog inspect</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/app.css">
</head>
<body>
<div id="app"></div>
<script src="/assets/app.js"></script>
</body>
</html>
`;

const ASSET_TYPES: Record<string, string> = { 'app.js': 'text/javascript; charset=utf-8', 'app.css': 'text/css; charset=utf-8' };

/** The bundled asset of that name, read once; undefined for any other name. */
const cache = new Map<string, Buffer>();
export function pageAsset(name: string): { body: Buffer; type: string } | undefined {
  const type = ASSET_TYPES[name];
  if (type === undefined) return undefined;
  let body = cache.get(name);
  if (body === undefined) {
    body = readFileSync(fileURLToPath(new URL(`./page/${name}`, import.meta.url)));
    cache.set(name, body);
  }
  return { body, type };
}
