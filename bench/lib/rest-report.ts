import type { LoadResult } from './load.ts';

/** One measured case of the REST bench: a load result and how trustworthy it is. */
export interface Measured extends LoadResult {
  /** The process that limited throughput (see boundBy). */
  boundBy: 'client' | 'server';
  attempts: number;
  /** Other processes used more than --max-other-cpu cores during every attempt: the numbers are suspect. */
  noisy: boolean;
}

/** What `reportRest` prints and checks. */
export interface RestReportInput {
  /** The measured commands (`openim/...`) and those also measured on the seeded store. */
  commands: string[];
  scaleCommands: string[];
  /** Messages in the seeded store. */
  messages: number;
  baseline: Record<string, Measured>;
  full: Record<string, Measured>;
  normal: Record<string, Measured>;
  scale: Record<string, Measured>;
  targets: { throughput: number; ratio: number; scaleP50: number };
}

/** Numbers as a results file keeps them: integers as they are, others to 4 significant digits (≥ 1000: rounded). */
export function roundNumbers(_key: string, value: unknown): unknown {
  if (typeof value !== 'number' || Number.isInteger(value)) return value;
  return Math.abs(value) >= 1000 ? Math.round(value) : Number(value.toPrecision(4));
}

/** Which side limited a run: the load generator when it used (nearly) a whole core, else the server. */
export function boundBy(r: LoadResult): 'client' | 'server' {
  return r.cpu.client >= 0.85 && r.cpu.client > r.cpu.server ? 'client' : 'server';
}

/** `n` with `digits` decimals, or `-` when it is not a finite number. */
export function fmt(n: number, digits: number): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '-';
}

/** Prints the table and the targets; returns the targets and the scale ratios. */
export function reportRest(input: RestReportInput) {
  const { commands, scaleCommands, messages, baseline, scale } = input;
  const durability = { FULL: input.full, NORMAL: input.normal };
  const rows: string[][] = [
    ['case', 'command', 'req/s', 'p50 ms', 'p99 ms', 'vs bare', 'srv µs/req', 'cpu srv/cli/other', 'note'],
  ];
  const row = (label: string, c: string, r: Measured | undefined, base?: Measured) => {
    if (!r) return;
    rows.push([
      label,
      c.replace('openim/', ''),
      fmt(r.throughput, 0),
      fmt(r.p50Ms, 2),
      fmt(r.p99Ms, 2),
      base ? fmt(r.throughput / base.throughput, 2) : '',
      fmt(r.serverCpuUsPerRequest, 1),
      `${fmt(r.cpu.server, 2)}/${fmt(r.cpu.client, 2)}/${fmt(r.cpu.other, 2)}`,
      [r.errors > 0 ? `${r.errors} errors` : '', r.noisy ? 'noisy' : '', r.boundBy === 'client' ? 'client-bound' : '']
        .filter(Boolean)
        .join(' '),
    ]);
  };
  for (const c of commands) {
    row('bare node:http', c, baseline[c]);
    row('readwire FULL', c, durability.FULL[c], baseline[c]);
    row('readwire NORMAL', c, durability.NORMAL[c], baseline[c]);
    row(`FULL, ${(messages / 1e6).toString()}M msgs`, c, scale[c], baseline[c]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  console.log('');
  for (const r of rows)
    console.log(
      r.map((cell, i) => (i < 2 || i === 8 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '),
    );

  const scaleRatios: Record<string, number> = {};
  for (const c of scaleCommands) {
    const empty = durability.FULL[c];
    const big = scale[c];
    if (empty && big) scaleRatios[c] = big.p50Ms / empty.p50Ms;
  }
  const setRead = durability.FULL['openim/admin_set_msg_read'];
  const setReadBare = baseline['openim/admin_set_msg_read'];
  const check = (name: string, measured: number | undefined, target: number, atMost = false) => {
    if (measured === undefined || !Number.isFinite(measured)) return { name, target, measured: null, pass: null };
    return { name, target, measured, pass: atMost ? measured <= target : measured >= target };
  };
  const targets = [
    check('admin_set_msg_read req/s, FULL', setRead?.throughput, input.targets.throughput),
    check(
      'admin_set_msg_read vs bare node:http, FULL',
      setRead && setReadBare && setRead.throughput / setReadBare.throughput,
      input.targets.ratio,
    ),
    ...scaleCommands.map((c) =>
      check(
        `${c.replace('openim/', '')} p50, ${messages.toLocaleString('en-US')} messages vs empty`,
        scaleRatios[c],
        input.targets.scaleP50,
        true,
      ),
    ),
  ];
  console.log('');
  for (const t of targets) {
    const verdict = t.pass === null ? 'not measured' : t.pass ? 'PASS' : 'MISS';
    const measured = t.measured === null ? '-' : t.measured >= 100 ? t.measured.toFixed(0) : t.measured.toFixed(2);
    console.log(
      `${verdict.padEnd(12)} ${t.name}: ${measured} (target ${t.name.includes('p50') ? '≤' : '≥'} ${t.target})`,
    );
  }
  // CPU per request is the fairer comparison when the bare server was limited by the load generator.
  const efficiency: Record<string, number> = {};
  for (const c of commands) {
    const base = baseline[c];
    const full = durability.FULL[c];
    if (base && full) efficiency[c] = base.serverCpuUsPerRequest / full.serverCpuUsPerRequest;
  }
  const clientBound = commands.filter((c) => baseline[c]?.boundBy === 'client');
  if (clientBound.length > 0) {
    console.log(
      `\nnote: the bare baseline was limited by the load generator (${clientBound.map((c) => `${c.replace('openim/', '')} ` + `client ${fmt(baseline[c]!.cpu.client, 2)} cores`).join(', ')}), so "vs bare" ` +
        `flatters Readwire. Server CPU per request, bare / Readwire FULL: ` +
        Object.entries(efficiency)
          .map(([c, e]) => `${c.replace('openim/', '')} ${fmt(e, 2)}`)
          .join(', '),
    );
  }
  return { targets, scaleRatios, efficiency };
}
