/**
 * The inspector's HTTP server: a read-only JSON API over the reader process plus the bundled page,
 * on 127.0.0.1 only, behind a random access token. Every request without the token is refused
 * with 401, and requests naming another host are refused too (a web page elsewhere cannot reach
 * it through DNS rebinding).
 */
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { TapelogError } from '@tapelog/core';
import { type Context, Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { newAccessToken, TOKEN_COOKIE, tokenMatches } from './access-token.js';
import { toJsonText } from './json-text.js';
import { PAGE_HTML, pageAsset } from './page-assets.js';
import { ReaderClient } from './reader-client.js';
import type { ReaderMethod } from './reader-protocol.js';
import { parseStoreLocation } from './store-location.js';
import { runVerifyProcess } from './verify-runner.js';

export interface InspectorOptions {
  /** A LevelDB base directory or a PostgreSQL store URL. */
  store: string;
  /** Instances to show; by default every instance directory of a LevelDB store (required for PostgreSQL). */
  instances?: readonly string[];
  /** 0 (the default) picks a free port. */
  port?: number;
  /** A fixed token (tests); by default a random one. */
  token?: string;
}

export interface Inspector {
  url: string;
  port: number;
  token: string;
  /** The store as it may be shown (no password). */
  display: string;
  /** The reader process's id while it runs. */
  readerPid(): number | undefined;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

/** HTTP status of a reader error: the page shows the code and message either way. */
function statusOf(code: string): 400 | 404 | 409 | 422 | 500 {
  if (code === 'INVALID_ARGUMENT') return 400;
  if (code === 'RUN_NOT_FOUND') return 404;
  if (code === 'RUN_NOT_SEALED' || code === 'RUN_ALREADY_OPEN') return 409;
  if (code === 'CORRUPTED' || code === 'HASH_MISMATCH' || code === 'GAP' || code === 'UNSUPPORTED_FORMAT') return 422;
  return 500;
}

function json(context: Context, value: unknown, status: 200 | 400 | 404 | 409 | 422 | 500 = 200): Response {
  return context.body(toJsonText(value), status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
}

function errorJson(context: Context, code: string, message: string): Response {
  return json(context, { error: { code, message } }, statusOf(code));
}

export async function startInspector(options: InspectorOptions): Promise<Inspector> {
  const location = parseStoreLocation(options.store);
  const instances = options.instances ?? [];
  if (location.kind === 'postgres' && instances.length === 0) {
    throw new TapelogError('INVALID_ARGUMENT', `inspecting ${location.display} needs the instances to show (--instance <id>, repeatable)`);
  }
  const token = options.token ?? newAccessToken();
  const reader = new ReaderClient(options.store, instances);
  const app = new Hono();
  let port = 0;

  app.use('*', async (context, next) => {
    const host = context.req.header('host') ?? '';
    if (host !== `${HOST}:${port}` && host !== `localhost:${port}`) return context.text('unknown host', 421);
    const bearer = context.req.header('authorization')?.replace(/^Bearer /, '');
    const query = context.req.query('token');
    if (tokenMatches(token, query)) {
      setCookie(context, TOKEN_COOKIE, token, { httpOnly: true, sameSite: 'Strict', path: '/' });
    } else if (!tokenMatches(token, bearer) && !tokenMatches(token, getCookie(context, TOKEN_COOKIE))) {
      return context.text('401: missing or wrong access token; open the URL `tapelog inspect` printed', 401);
    }
    context.header('x-content-type-options', 'nosniff');
    context.header('content-security-policy', "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:");
    await next();
  });

  app.get('/', (context) => context.html(PAGE_HTML));
  app.get('/assets/:name', (context) => {
    const asset = pageAsset(context.req.param('name'));
    if (asset === undefined) return context.text('not found', 404);
    return context.body(new Uint8Array(asset.body), 200, { 'content-type': asset.type });
  });

  const ask = async (context: Context, method: ReaderMethod, params: Record<string, unknown>, subject: string): Promise<Response> => {
    try {
      return json(context, await reader.request(method, params, subject));
    } catch (error) {
      if (TapelogError.isInstance(error)) return errorJson(context, error.code, error.message);
      return errorJson(context, 'BACKEND', error instanceof Error ? error.message : String(error));
    }
  };
  const runParams = (context: Context) => ({ instanceId: context.req.param('instance'), runId: context.req.param('run') });
  const runSubject = (context: Context) => `run ${context.req.param('run')} of ${context.req.param('instance')} in ${location.display}`;
  const numberQuery = (context: Context, name: string) => {
    const text = context.req.query(name);
    return text === undefined || text === '' ? undefined : Number(text);
  };

  app.get('/api/instances', (context) => ask(context, 'instances', {}, location.display));
  app.get('/api/instances/:instance/runs', (context) =>
    ask(context, 'runs', { instanceId: context.req.param('instance') }, `the runs of ${context.req.param('instance')} in ${location.display}`),
  );
  app.get('/api/runs/:instance/:run/overview', (context) => ask(context, 'overview', runParams(context), runSubject(context)));
  app.get('/api/runs/:instance/:run/timeline', (context) =>
    ask(
      context,
      'timeline',
      { ...runParams(context), from: numberQuery(context, 'from'), to: numberQuery(context, 'to'), buckets: numberQuery(context, 'buckets') },
      runSubject(context),
    ),
  );
  app.get('/api/runs/:instance/:run/entries/:seq', (context) =>
    ask(context, 'entry', { ...runParams(context), seq: Number(context.req.param('seq')) }, runSubject(context)),
  );
  app.get('/api/runs/:instance/:run/correlation', (context) =>
    ask(context, 'correlate', { ...runParams(context), key: context.req.query('key') ?? '' }, runSubject(context)),
  );
  app.get('/api/runs/:instance/:run/markers', (context) => ask(context, 'markers', runParams(context), runSubject(context)));
  app.post('/api/runs/:instance/:run/verify', async (context) =>
    json(context, await runVerifyProcess(options.store, context.req.param('instance'), context.req.param('run'))),
  );
  app.notFound((context) => errorJson(context, 'RUN_NOT_FOUND', `no such page: ${context.req.path}`));

  const server = createAdaptorServer({ fetch: app.fetch });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  reader.warm();
  return {
    url: `http://${HOST}:${port}/?token=${token}`,
    port,
    token,
    display: location.display,
    readerPid: () => reader.pid,
    async close() {
      await reader.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
    },
  };
}
