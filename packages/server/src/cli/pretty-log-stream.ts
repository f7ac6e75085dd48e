import type { LogStream } from '../rest/create-rest-app.ts';

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** Fields every pino line has, which the human form shows differently or not at all. */
const HIDDEN = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'err']);

function show(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) || value === '' ? JSON.stringify(value) : value;
  return JSON.stringify(value) ?? String(value);
}

/** One pino JSON line as `12:00:01 WARN  message key=value …`, with an error's message (and stack from ERROR up). */
export function prettyLogLine(json: string): string {
  let r: Record<string, unknown>;
  try {
    r = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const level = typeof r.level === 'number' ? r.level : 30;
  const time = new Date(typeof r.time === 'number' ? r.time : Date.now()).toTimeString().slice(0, 8);
  const fields = Object.entries(r)
    .filter(([k]) => !HIDDEN.has(k))
    .map(([k, v]) => ` ${k}=${show(v)}`)
    .join('');
  const err = r.err as { message?: unknown; stack?: unknown } | undefined;
  const errText = err && typeof err.message === 'string' ? `: ${err.message}` : '';
  const stack = level >= 50 && err && typeof err.stack === 'string' ? `\n  ${err.stack.replace(/\n/g, '\n  ')}` : '';
  return `${time} ${(LEVELS[level] ?? String(level)).padEnd(5)} ${typeof r.msg === 'string' ? r.msg : show(r.msg ?? '')}${errText}${fields}${stack}\n`;
}

/**
 * A log stream for a terminal: each JSON line the server logs is written to `out` in human form. The listener's
 * own "Server listening at" lines are left out, since the start-up banner says where the server listens.
 */
export function prettyLogStream(out: { write(text: string): unknown }): LogStream {
  return {
    write(line: string) {
      if (line.includes('"msg":"Server listening at ')) return;
      out.write(prettyLogLine(line.trimEnd()));
    },
  };
}
