/**
 * Prometheus metrics, written in the text exposition format (version 0.0.4) without a client
 * library: a few counters, gauges and histograms with bounded label sets (route labels, receiver
 * names, error codes; never event values).
 */

type Labels = Readonly<Record<string, string>>;

function labelText(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([name, value]) => `${name}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',')}}`;
}

interface Metric {
  render(): string;
}

/** A monotonically increasing count per label set. */
export class Counter implements Metric {
  private readonly values = new Map<string, number>();

  constructor(
    readonly name: string,
    private readonly help: string,
  ) {}

  inc(labels: Labels = {}, by = 1): void {
    const key = labelText(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }

  get(labels: Labels = {}): number {
    return this.values.get(labelText(labels)) ?? 0;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const [key, value] of this.values) lines.push(`${this.name}${key} ${value}`);
    return lines.join('\n');
  }
}

/** A value read when scraped. */
export class Gauge implements Metric {
  constructor(
    readonly name: string,
    private readonly help: string,
    private readonly collect: () => readonly { labels: Labels; value: number }[],
  ) {}

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`];
    for (const { labels, value } of this.collect()) lines.push(`${this.name}${labelText(labels)} ${value}`);
    return lines.join('\n');
  }
}

/** Observations in cumulative buckets, in seconds. */
export class Histogram implements Metric {
  private readonly series = new Map<string, { counts: number[]; sum: number; count: number; labels: Labels }>();

  constructor(
    readonly name: string,
    private readonly help: string,
    private readonly buckets: readonly number[],
  ) {}

  observe(seconds: number, labels: Labels = {}): void {
    const key = labelText(labels);
    let series = this.series.get(key);
    if (series === undefined) {
      series = { counts: this.buckets.map(() => 0), sum: 0, count: 0, labels };
      this.series.set(key, series);
    }
    this.buckets.forEach((bound, index) => {
      if (seconds <= bound && series !== undefined) series.counts[index] = (series.counts[index] ?? 0) + 1;
    });
    series.sum += seconds;
    series.count += 1;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const series of this.series.values()) {
      this.buckets.forEach((bound, index) => lines.push(`${this.name}_bucket${labelText({ ...series.labels, le: String(bound) })} ${series.counts[index] ?? 0}`));
      lines.push(`${this.name}_bucket${labelText({ ...series.labels, le: '+Inf' })} ${series.count}`);
      lines.push(`${this.name}_sum${labelText(series.labels)} ${series.sum}`);
      lines.push(`${this.name}_count${labelText(series.labels)} ${series.count}`);
    }
    return lines.join('\n');
  }
}

/** The router's metrics. Gauges that read the outbox are added by the server. */
export class RouterMetrics {
  readonly received = new Counter('falx_events_received_total', 'Events accepted and stored, by priority.');
  readonly rejected = new Counter('falx_events_rejected_total', 'Requests refused, by error code.');
  readonly routed = new Counter('falx_events_routed_total', 'Events that ended at a route, by route.');
  readonly sent = new Counter('falx_deliveries_sent_total', 'Notifications delivered, by receiver.');
  readonly retried = new Counter('falx_deliveries_retried_total', 'Failed attempts scheduled for a retry, by receiver and reason.');
  readonly failed = new Counter('falx_deliveries_failed_total', 'Failed delivery attempts, by receiver and reason.');
  readonly dead = new Counter('falx_deliveries_dead_total', 'Deliveries given up (dead-lettered), by receiver.');
  readonly latency = new Histogram('falx_delivery_latency_seconds', 'Time from receiving an event to delivering it, by receiver.', [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800]);
  readonly groupedEvents = new Counter('falx_group_events_total', 'Events counted in aggregation groups, by route.');
  readonly groupNotifications = new Counter('falx_group_notifications_total', 'Group notifications planned, by route and kind (first, update).');
  readonly silenced = new Counter('falx_events_silenced_total', 'Events stored but not delivered because a silence matched them.');
  readonly inhibited = new Counter('falx_events_inhibited_total', 'Events stored but not delivered because an inhibit rule muted them, by rule.');
  readonly ingest = new Histogram('falx_ingest_duration_seconds', 'Time to validate, route and durably store an event.', [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1]);
  // The process's memory, under the names Prometheus client libraries use, for sizing and alerting.
  private readonly gauges: Gauge[] = [
    new Gauge('process_resident_memory_bytes', 'Resident memory of the process.', () => [{ labels: {}, value: process.memoryUsage.rss() }]),
    new Gauge('nodejs_heap_size_total_bytes', 'JavaScript heap reserved.', () => [{ labels: {}, value: process.memoryUsage().heapTotal }]),
    new Gauge('nodejs_heap_size_used_bytes', 'JavaScript heap in use.', () => [{ labels: {}, value: process.memoryUsage().heapUsed }]),
    new Gauge('nodejs_external_memory_bytes', 'Memory held outside the JavaScript heap (buffers, SQLite).', () => [{ labels: {}, value: process.memoryUsage().external }]),
  ];

  addGauge(gauge: Gauge): void {
    this.gauges.push(gauge);
  }

  /** The exposition text. */
  render(): string {
    const metrics: Metric[] = [
      this.received, this.rejected, this.routed, this.sent, this.retried, this.failed, this.dead,
      this.groupedEvents, this.groupNotifications, this.silenced, this.inhibited, this.latency, this.ingest, ...this.gauges,
    ];
    return `${metrics.map((metric) => metric.render()).join('\n')}\n`;
  }
}
