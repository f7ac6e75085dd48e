import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** One line of a chart. */
export interface Series {
  label: string;
  color: string;
}

/**
 * A uPlot time-series chart: `data[0]` are unix seconds, then one array per series. uPlot draws to a canvas, so
 * no value reaches the DOM as markup.
 */
export function RateChart(props: {
  title: string;
  series: Series[];
  data: (number | null)[][];
  unit: string;
  windowSeconds: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height: 180,
      cursor: { drag: { x: false, y: false } },
      legend: { live: false },
      scales: {
        // The last `windowSeconds`, ending at the newest tick (a lone first point would otherwise span years).
        x: {
          time: true,
          range: (_u, _min, max) => {
            const end = Number.isFinite(max) ? max : Math.floor(Date.now() / 1000);
            return [end - props.windowSeconds, end];
          },
        },
        y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] },
      },
      axes: [{}, { label: props.unit, size: 50 }],
      series: [
        {},
        ...props.series.map((s) => ({ label: s.label, stroke: s.color, width: 2, points: { show: false } })),
      ],
    };
    const u = new uPlot(opts, props.data as uPlot.AlignedData, el);
    plot.current = u;
    const ro = new ResizeObserver(() => u.setSize({ width: Math.max(200, el.clientWidth), height: 180 }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
    // the chart is built once; data changes go through setData below
  }, []);
  useEffect(() => {
    plot.current?.setData(props.data as uPlot.AlignedData);
  }, [props.data]);
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <div ref={box} role="img" aria-label={props.title} />
    </figure>
  );
}
