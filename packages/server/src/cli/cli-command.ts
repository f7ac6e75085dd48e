import { parseArgs } from 'node:util';

/** One option of a CLI command, with what its help says about it. */
export interface CliOption {
  type: 'string' | 'boolean';
  /** One-letter alias, e.g. `p` for `-p`. */
  short?: string;
  /** Placeholder shown in help for a string option's value, e.g. `FILE`. */
  value?: string;
  /** One line (or two) for the help. */
  description: string;
}

/** The option values a command's action receives: strings for string options, booleans for flags. */
export type OptionValues<O extends Record<string, CliOption>> = {
  [K in keyof O]: O[K]['type'] extends 'boolean' ? boolean : string | undefined;
};

/** A command as its definition is written: options, help text, examples and the action. */
export interface CommandDefinition<O extends Record<string, CliOption>> {
  name: string;
  /** One line for `readwire --help`. */
  summary: string;
  /** The usage line after `readwire <name> `, e.g. `[--config FILE] [--port N]`. */
  usage: string;
  /** A paragraph for the command's own help. */
  description: string;
  options: O;
  /** Complete example command lines, each optionally followed by `  # comment`. */
  examples: string[];
  /** Runs the command; resolves with the exit code (default 0). */
  action(values: OptionValues<O>): Promise<number | void>;
}

/** A command, type-erased for the registry. */
export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  description: string;
  options: Readonly<Record<string, CliOption>>;
  examples: string[];
  /** Parses `args` (after the command name) and runs the action. */
  run(args: string[]): Promise<number | void>;
}

/** A mistake in how a command was called (unknown option, missing or bad value): exit code 2 with a hint. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Defines a command whose action gets typed option values; `--help`/`-h` is added by the CLI. */
export function defineCommand<const O extends Record<string, CliOption>>(def: CommandDefinition<O>): CliCommand {
  return {
    name: def.name,
    summary: def.summary,
    usage: def.usage,
    description: def.description,
    options: def.options,
    examples: def.examples,
    run: (args) => def.action(parseCommandArgs(def.options, args) as OptionValues<O>),
  };
}

const PARSE_MESSAGES: Record<string, (message: string) => string> = {
  ERR_PARSE_ARGS_UNKNOWN_OPTION: (m) => `unknown option ${/'([^']+)'/.exec(m)?.[1] ?? m}`,
  ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL: (m) => `unexpected argument ${/'([^']+)'/.exec(m)?.[0] ?? m}`,
  ERR_PARSE_ARGS_INVALID_OPTION_VALUE: (m) => {
    const name = /'(-[^' ]+)/.exec(m)?.[1];
    return name === undefined ? m : m.includes('argument missing') ? `${name} needs a value` : `${name} takes no value`;
  },
};

/** Parses strictly (no positionals, no unknown options); booleans default to false. Throws {@link UsageError}. */
export function parseCommandArgs(
  options: Readonly<Record<string, CliOption>>,
  args: string[],
): Record<string, string | boolean | undefined> {
  const spec: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const [name, o] of Object.entries(options))
    spec[name] = o.short ? { type: o.type, short: o.short } : { type: o.type };
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args, options: spec, strict: true, allowPositionals: false }).values;
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    const explain = PARSE_MESSAGES[code];
    throw new UsageError(explain ? explain((error as Error).message) : (error as Error).message);
  }
  for (const [name, o] of Object.entries(options)) if (o.type === 'boolean') values[name] ??= false;
  return values;
}

/** Whether the arguments ask for help (`--help` or `-h` before a `--`). */
export function wantsHelp(args: string[]): boolean {
  for (const a of args) {
    if (a === '--') return false;
    if (a === '--help' || a === '-h') return true;
  }
  return false;
}
