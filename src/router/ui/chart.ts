/**
 * The events page's chart: events per time bucket, stacked by priority, as an SVG drawn on the
 * server (no script, no inline style: the Content-Security-Policy allows neither). Each bar has a
 * title with its counts, for a hover.
 */
import { priorities } from '../priority.ts';
import type { EventCounts } from '../store/store.ts';
import { html, type SafeHtml } from './html.ts';

const bars = 48;
const width = 960;
const height = 120;

/** A bucket size (ms) that gives about 48 bars over the span, rounded to a readable unit. */
export function bucketSize(from: number, to: number): number {
  const steps = [60_000, 300_000, 900_000, 1_800_000, 3_600_000, 3 * 3_600_000, 6 * 3_600_000, 12 * 3_600_000, 86_400_000];
  const wanted = Math.max(1, to - from) / bars;
  return steps.find((step) => step >= wanted) ?? 86_400_000;
}

export function eventChart(counts: EventCounts, from: number, to: number, bucketMs: number): SafeHtml {
  const first = Math.floor(from / bucketMs) * bucketMs;
  const columns = Math.max(1, Math.ceil((to - first) / bucketMs));
  const byBucket = new Map<number, Map<string, number>>();
  for (const row of counts.buckets) {
    const bucket = byBucket.get(Number(row.start)) ?? new Map<string, number>();
    bucket.set(row.priority, (bucket.get(row.priority) ?? 0) + Number(row.count));
    byBucket.set(Number(row.start), bucket);
  }
  const totals = [...byBucket.values()].map((bucket) => [...bucket.values()].reduce((a, b) => a + b, 0));
  const max = Math.max(1, ...totals);
  const barWidth = width / columns;
  const rects: SafeHtml[] = [];
  for (let column = 0; column < columns; column += 1) {
    const start = first + column * bucketMs;
    const bucket = byBucket.get(start);
    if (bucket === undefined) continue;
    let y = height;
    const title = `${new Date(start).toISOString()}: ${[...bucket].map(([priority, count]) => `${count} ${priority}`).join(', ')}`;
    for (const priority of priorities) {
      const count = bucket.get(priority);
      if (count === undefined) continue;
      const barHeight = Math.max(1, (count / max) * height);
      y -= barHeight;
      rects.push(html`<rect class="p-${priority}" x="${(column * barWidth).toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(1, barWidth - 1).toFixed(1)}" height="${barHeight.toFixed(1)}"><title>${title}</title></rect>`);
    }
  }
  return html`<figure class="chart"><svg viewBox="0 0 ${width} ${height}" preserveAspectRatio="none" role="img" aria-label="Events over time by priority">${rects}</svg>
<figcaption>${new Date(from).toISOString()} – ${new Date(to).toISOString()}, ${Math.round(bucketMs / 60_000)} min per bar, highest ${max}</figcaption></figure>`;
}
