import type { CliCommand } from './cli-command.ts';

/** Wraps `text` to `width` columns, indenting continuation lines by `indent` spaces. */
function wrap(text: string, width: number, indent: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && line.length + 1 + word.length > width - indent) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}

/** The help of one command: usage, description, every option and examples. */
export function commandHelp(command: CliCommand): string {
  const rows = Object.entries(command.options).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`;
    return [flag, o.description] as const;
  });
  rows.push(['-h, --help', 'Show this help and exit.']);
  const col = Math.min(Math.max(...rows.map(([flag]) => flag.length)) + 2, 34);
  const options = rows.map(([flag, text]) => {
    const head = `  ${flag}`;
    const pad = head.length >= col + 2 ? `\n${' '.repeat(col + 2)}` : ' '.repeat(col + 2 - head.length);
    return `${head}${pad}${wrap(text, 100, col + 2)}`;
  });
  return [
    `Usage: readwire ${command.name} ${command.usage}`,
    '',
    wrap(command.description, 100, 0),
    '',
    'Options:',
    ...options,
    '',
    'Examples:',
    ...command.examples.map((e) => `  ${e}`),
    '',
  ].join('\n');
}

/** `readwire --help`: every command with its summary. */
export function mainHelp(commands: readonly CliCommand[], version: string): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 3;
  return [
    `readwire ${version}: a Tencent-Cloud-IM-compatible C2C messaging backend`,
    '',
    'Usage: readwire <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'Options:',
    "  -h, --help       Show this help (`readwire <command> --help` shows a command's options and examples).",
    '  -v, --version    Print the version.',
    '',
    'Examples:',
    '  readwire serve                          # development defaults: SQLite in ./data, port 5080',
    '  readwire doctor --config readwire.json  # check a configuration before starting with it',
    '  readwire serve --config readwire.json',
    '',
  ].join('\n');
}
