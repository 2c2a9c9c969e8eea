/**
 * `tapelog inspect <store> [--port N] [--instance ID[,ID…]]`: starts the read-only inspector page
 * (@tapelog/inspector) on 127.0.0.1 and prints its URL with the access token, then serves until
 * interrupted. The inspector reads runs in child processes of its own, so this command runs in
 * the operator's process.
 */
import { parseArguments, UsageError } from '../command-line.js';
import { EXIT_OK } from '../exit-codes.js';

function portOption(text: string | undefined): number {
  if (text === undefined) return 0;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new UsageError(`--port takes a port number from 0 to 65535, got ${JSON.stringify(text)}`);
  return port;
}

export async function inspectCommand(argv: readonly string[]): Promise<number> {
  const parsed = parseArguments(argv, ['port', 'instance'], []);
  if (parsed.positionals.length !== 1) throw new UsageError('inspect takes one store: a LevelDB base directory or a PostgreSQL URL');
  const port = portOption(parsed.options.get('port'));
  const instances = (parsed.options.get('instance') ?? '').split(',').filter((instance) => instance.length > 0);
  // Loaded here only: no other command needs the HTTP server.
  const { startInspector } = await import('@tapelog/inspector');
  const inspector = await startInspector({ store: parsed.positionals[0]!, port, instances });
  process.stdout.write(`inspecting ${inspector.display} (read-only) at\n${inspector.url}\npress Ctrl-C to stop\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await inspector.close();
  return EXIT_OK;
}
