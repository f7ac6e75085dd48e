// `npm run reliability`: the reliability suite in its full form. Each scenario starts real servers in child processes
// on 127.0.0.1 and prints its figures; the exit status is 1 if any invariant failed. `--quick` runs the small form
// that `npm test` also runs (reliability.test.ts); `--only kill,down,hang,disk,attack` picks scenarios.
//
// Usage: npm run reliability [-- --quick] [--only …] [--kill-seconds 30] [--down-seconds 60] [--down-rate 200]
//          [--hang-seconds 20] [--hang-rate 100] [--disk-mb 8] [--attack-seconds 10] [--attack-p99-ms 50]
import { parseArgs } from 'node:util';
import { checkAttack, checkDisk, checkDown, checkHang, checkKill } from './checks.ts';
import { diskFull } from './disk-full.ts';
import { hangingEndpoint } from './hanging-endpoint.ts';
import { fmt } from './harness.ts';
import { killTwice } from './kill-twice.ts';
import { receiverDown } from './receiver-down.ts';
import { underAttack } from './under-attack.ts';

const { values: opt } = parseArgs({
  options: {
    help: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    only: { type: 'string', default: 'kill,down,hang,disk,attack' },
    'kill-seconds': { type: 'string' },
    'down-seconds': { type: 'string' },
    'down-rate': { type: 'string', default: '200' },
    'hang-seconds': { type: 'string' },
    'hang-rate': { type: 'string', default: '100' },
    'disk-mb': { type: 'string', default: '8' },
    'attack-seconds': { type: 'string' },
    'attack-p99-ms': { type: 'string', default: '50' },
  },
});
if (opt.help) {
  console.log(
    'usage: npm run reliability [-- --quick] [--only kill,down,hang,disk,attack] [--kill-seconds 30]\n' +
      '         [--down-seconds 60] [--down-rate 200] [--hang-seconds 20] [--hang-rate 100] [--disk-mb 8]\n' +
      '         [--attack-seconds 10] [--attack-p99-ms 50]',
  );
  process.exit(0);
}
const q = opt.quick;
const num = (v: string | undefined, full: number, quick: number) => (v === undefined ? (q ? quick : full) : Number(v));
const only = new Set(opt.only.split(','));
const problems: string[] = [];
const report = (name: string, found: string[]) => {
  console.log(`  → ${found.length === 0 ? 'held' : `FAILED: ${found.join('; ')}`}`);
  problems.push(...found.map((f) => `${name}: ${f}`));
};
const started = Date.now();

if (only.has('kill')) {
  const seconds = num(opt['kill-seconds'], 30, 6);
  console.log(`kill -9 twice under load (${seconds} s, 16 clients, 400 users):`);
  const f = await killTwice({ seconds, workers: 16, users: 400 });
  console.log(
    `  acknowledged ${f.acked}, distinct delivered ${f.distinct} (of them ${f.unacknowledgedDelivered} committed but ` +
      `unanswered at a kill), lost ${f.lost}, duplicates ${f.duplicates}, per-user order violations ` +
      `${f.orderViolations}; failed REST calls ${f.failedRequests}; restarts took ${f.restartMs.join(', ')} ms`,
  );
  report('kill', checkKill(f));
}

if (only.has('down')) {
  const downSeconds = num(opt['down-seconds'], 60, 3);
  console.log(`receiver down ${downSeconds} s, then up (${opt['down-rate']} reports/s while down):`);
  const f = await receiverDown({
    downSeconds,
    rate: Number(opt['down-rate']),
    users: 200,
    dispatcher: q ? { breakerOpenMs: 200, breakerMaxOpenMs: 500 } : undefined,
  });
  console.log(
    `  acknowledged ${f.acked}, delivered ${f.distinct}, lost ${f.lost}, duplicates ${f.duplicates}, order violations ` +
      `${f.orderViolations}; first callback ${fmt(f.firstCallbackAfterUpMs / 1000, 1)} s after the receiver came ` +
      `back, all delivered ${fmt(f.drainMs / 1000, 1)} s after; failed attempts ${JSON.stringify(f.failedAttempts)}`,
  );
  report('down', checkDown(f));
}

if (only.has('hang')) {
  const seconds = num(opt['hang-seconds'], 20, 4);
  console.log(`one app's endpoint hanging (${seconds} s per run, ${opt['hang-rate']} reports/s per app):`);
  const f = await hangingEndpoint({ seconds, rate: Number(opt['hang-rate']), users: 100 });
  console.log(
    `  app B commit→callback with A healthy: p50 ${fmt(f.healthy.bP50Ms)} ms p99 ${fmt(f.healthy.bP99Ms)} ms ` +
      `(${f.healthy.bCallbacks}); with A hanging: p50 ${fmt(f.hanging.bP50Ms)} ms p99 ${fmt(f.hanging.bP99Ms)} ms ` +
      `(${f.hanging.bCallbacks}); ratio ${fmt(f.p99Ratio, 2)}; A acknowledged ${f.hanging.aAcked}, its hanging ` +
      `endpoint got ${f.hanging.aDelivered} requests`,
  );
  report('hang', checkHang(f, 2, q ? 100 : 0));
}

if (only.has('disk')) {
  console.log(`disk full (tmpfs of ${opt['disk-mb']} MB):`);
  const f = await diskFull({ sizeMb: Number(opt['disk-mb']), fullSeconds: q ? 1 : 3, afterSeconds: q ? 1 : 3 });
  if (f.skipped !== undefined) console.log(`  skipped: ${f.skipped}`);
  else {
    console.log(
      `  acknowledged ${f.acked} (${f.ackedBeforeFull} before the disk was full, ${f.ackedAfterSpaceReturned} after ` +
        `space returned), refused ${JSON.stringify(f.failuresByCode)}, lost ${f.lost}, duplicates ${f.duplicates}, ` +
        `order violations ${f.orderViolations}; restart ${f.restartOk ? 'ok' : 'FAILED'}, integrity ${f.integrity}`,
    );
  }
  report('disk', checkDisk(f));
}

if (only.has('attack')) {
  const seconds = num(opt['attack-seconds'], 10, 3);
  const limit = Number(opt['attack-p99-ms']);
  console.log(`REST under attack (${seconds} s each, probe 50 calls/s):`);
  const runs = await underAttack({ seconds, probeRate: 50 });
  for (const r of runs) {
    console.log(
      `  ${r.attack.padEnd(10)} REST p50 ${fmt(r.restP50Ms, 1)} ms p99 ${fmt(r.restP99Ms, 1)} ms max ` +
        `${fmt(r.restMaxMs, 1)} ms (${r.probes} calls), server RSS ${fmt(r.serverRssMb)} MB` +
        (r.attacker ? `; attacker ${JSON.stringify(r.attacker)}` : ''),
    );
  }
  report('attack', checkAttack(runs, limit));
}

console.log(
  `\nreliability: ${problems.length === 0 ? 'every invariant held' : `${problems.length} problems`} ` +
    `(${fmt((Date.now() - started) / 1000)} s)`,
);
process.exit(problems.length === 0 ? 0 : 1);
