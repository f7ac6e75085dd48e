/**
 * HotCounter and HotHistogram write exactly what prom-client's Counter and Histogram write for the same events, in
 * both exposition formats and as JSON, and follow the registry's reset.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Counter, Histogram, Registry, type OpenMetricsContentType } from 'prom-client';
import { HotCounter } from '../../src/metrics/hot-counter.ts';
import { HotHistogram } from '../../src/metrics/hot-histogram.ts';

const BUCKETS = [0.001, 0.01, 0.1, 1];
const OBSERVED: [string, number][] = [
  ['a', 0.0005],
  ['a', 0.001],
  ['b', 0.05],
  ['a', 0.2],
  ['b', 7],
  ['a', 0.01],
];

function pair(openMetrics = false) {
  const ours = new Registry<OpenMetricsContentType>();
  const theirs = new Registry<OpenMetricsContentType>();
  if (openMetrics) {
    ours.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    theirs.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  }
  const histogram = { name: 'x_seconds', help: 'h', labelNames: ['cmd'] as const, buckets: BUCKETS };
  const counter = { name: 'x_total', help: 'c', labelNames: ['cmd', 'code'] as const };
  const hist = new HotHistogram({ ...histogram, registers: [ours] });
  const count = new HotCounter({ ...counter, registers: [ours] });
  const refHist = new Histogram({ ...histogram, registers: [theirs] });
  const refCount = new Counter({ ...counter, registers: [theirs] });
  for (const [cmd, v] of OBSERVED) {
    hist.child(cmd).observe(v);
    refHist.labels(cmd).observe(v);
    count.child(cmd, v > 1 ? '500' : '0').inc();
    refCount.labels(cmd, v > 1 ? '500' : '0').inc();
  }
  return { ours, theirs };
}

describe('hot metrics', () => {
  it('expose what prom-client exposes for the same observations (text and OpenMetrics)', async () => {
    for (const openMetrics of [false, true]) {
      const { ours, theirs } = pair(openMetrics);
      const text = await ours.metrics();
      assert.equal(text, await theirs.metrics());
      assert.match(text, /x_seconds_bucket\{le="0.01",cmd="a"\} 3\n/);
      assert.match(text, /x_seconds_count\{cmd="b"\} 2/);
    }
  });

  it('give the same JSON, counting on after a scrape, and reset with the registry', async () => {
    const { ours, theirs } = pair();
    // prom-client adds `exemplar: null` (buckets) or `undefined`; exemplars are not used here.
    const plain = (v: unknown) =>
      JSON.parse(JSON.stringify(v, (k, x: unknown) => (k === 'exemplar' ? undefined : x))) as unknown;
    assert.deepEqual(plain(await ours.getMetricsAsJSON()), plain(await theirs.getMetricsAsJSON()));
    const again = new HotCounter({ name: 'y_total', help: 'c', labelNames: ['k'] as const, registers: [ours] });
    const child = again.child('v');
    child.inc();
    assert.match(await ours.metrics(), /y_total\{k="v"\} 1/);
    child.inc();
    child.inc();
    assert.match(await ours.metrics(), /y_total\{k="v"\} 3/, 'counts after a scrape add up');
    ours.resetMetrics();
    const text = await ours.metrics();
    assert.match(text, /x_seconds_count\{cmd="a"\} 0/);
    assert.doesNotMatch(text, /x_total\{[^}]*\} [1-9]/);
  });
});
