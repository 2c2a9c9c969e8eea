/** A small command-line parser: positional arguments plus `--flag` and `--option value` (or `--option=value`). */

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface ParsedArguments {
  positionals: string[];
  flags: Set<string>;
  options: Map<string, string>;
}

/** `valueOptions` names the options that take a value; every other `--name` is a flag. */
export function parseArguments(argv: readonly string[], valueOptions: readonly string[], allowedFlags: readonly string[]): ParsedArguments {
  const parsed: ParsedArguments = { positionals: [], flags: new Set(), options: new Map() };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    if (!argument.startsWith('--') || argument === '--') {
      parsed.positionals.push(argument);
      continue;
    }
    const equals = argument.indexOf('=');
    const name = argument.slice(2, equals < 0 ? undefined : equals);
    if (valueOptions.includes(name)) {
      const value = equals < 0 ? argv[++index] : argument.slice(equals + 1);
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      parsed.options.set(name, value);
    } else if (allowedFlags.includes(name) && equals < 0) {
      parsed.flags.add(name);
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  return parsed;
}

/** A positive safe integer option (a seq), or `fallback` when absent. */
export function seqOption(parsed: ParsedArguments, name: string, fallback: number): number {
  const text = parsed.options.get(name);
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw new UsageError(`--${name} must be a whole number, got ${JSON.stringify(text)}`);
  return Number(text);
}
