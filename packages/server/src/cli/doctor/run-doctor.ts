import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../../config/config-schema.ts';
import { defaultConfigWithKey } from '../../config/default-config.ts';
import { loadConfigFile } from '../../config/load-config-file.ts';
import { callbackCheck } from './callback-check.ts';
import { clockCheck } from './clock-check.ts';
import type { CheckResult, DoctorContext } from './doctor-check.ts';
import { portCheck } from './port-check.ts';
import { storageChecks, storageKind } from './storage-checks.ts';

/** Oldest Node.js Readwire runs on. */
const NODE_MIN = [20, 19] as const;

function nodeCheck(): CheckResult {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  const ok = major > NODE_MIN[0] || (major === NODE_MIN[0] && minor >= NODE_MIN[1]);
  const message = `Node.js ${process.versions.node}`;
  return ok
    ? { check: 'node', status: 'ok', message }
    : { check: 'node', status: 'fail', message, fix: `install Node.js ${NODE_MIN.join('.')} or newer` };
}

/** The configuration `readwire serve` would run with, read without creating anything. */
function loadConfig(o: { config?: string | undefined; data?: string | undefined }): {
  config: Config;
  result: CheckResult;
} {
  if (o.config !== undefined) {
    const config = loadConfigFile(o.config);
    const apps = config.apps.map((a) => a.sdkAppId).join(', ');
    return {
      config,
      result: { check: 'config', status: 'ok', message: `${resolve(o.config)} is valid (app ${apps})` },
    };
  }
  const dir = o.data ?? './data';
  const keyFile = join(dir, 'secret-key');
  const key = existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : undefined;
  const config = defaultConfigWithKey(dir, key ?? 'k'.repeat(64));
  const keyState = key === undefined ? 'generated at first start' : 'present';
  return {
    config,
    result: {
      check: 'config',
      status: 'ok',
      message: `built-in defaults (no --config); secret key ${resolve(keyFile)} ${keyState}`,
    },
  };
}

const MARK: Record<CheckResult['status'], string> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL', skip: 'skip' };

function formatResult(r: CheckResult): string {
  const fix = r.fix !== undefined && r.status !== 'ok' ? `\n                  fix: ${r.fix}` : '';
  return `  ${MARK[r.status]}  ${r.check.padEnd(9)} ${r.message}${fix}\n`;
}

/** What `readwire doctor` was asked. */
export interface DoctorOptions {
  config?: string | undefined;
  data?: string | undefined;
  port?: number | undefined;
  host?: string | undefined;
  skipProbe: boolean;
  json: boolean;
}

/** Runs every check, prints the findings (text or JSON) and resolves with the exit code: 1 if a check failed. */
export async function runDoctor(o: DoctorOptions): Promise<number> {
  const results: CheckResult[] = [];
  let ctx: DoctorContext | undefined;
  try {
    const { config, result } = loadConfig(o);
    if (o.port !== undefined) config.port = o.port;
    if (o.host !== undefined) config.host = o.host;
    results.push(result);
    ctx = { config, probe: !o.skipProbe, remoteClocks: [] };
  } catch (error) {
    results.push({
      check: 'config',
      status: 'fail',
      message: (error as Error).message,
      fix: 'correct the fields named above',
    });
  }
  results.push(nodeCheck());
  if (ctx) {
    const storage = storageChecks[storageKind(ctx.config)]!;
    for (const check of [storage, portCheck, callbackCheck, clockCheck]) results.push(...(await check(ctx)));
  }
  const failed = results.filter((r) => r.status === 'fail').length;
  const warned = results.filter((r) => r.status === 'warn').length;
  if (o.json) {
    process.stdout.write(`${JSON.stringify({ ok: failed === 0, results }, null, 2)}\n`);
  } else {
    process.stdout.write(`readwire doctor\n\n${results.map(formatResult).join('')}\n`);
    const summary = failed > 0 ? `${failed} check(s) failed` : 'everything needed to start is in place';
    process.stdout.write(`${summary}${warned > 0 ? `, ${warned} warning(s)` : ''}.\n`);
  }
  return failed > 0 ? 1 : 0;
}
