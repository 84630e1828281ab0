/**
 * A small metrics registry rendered in the Prometheus text exposition format (version 0.0.4).
 *
 * Families are created once; each label combination is a child whose handle callers keep, so the
 * hot path is one number addition. Collect hooks run before rendering for values that are cheaper
 * to compute on scrape (e.g. a maximum over shards).
 */

export class MetricChild {
  value = 0;
  constructor(readonly labelValues: readonly string[]) {}
  inc(amount = 1): void { this.value += amount; }
  set(value: number): void { this.value = value; }
}

/** A family's children by label values; `newChild` makes one on first use. */
abstract class LabelledFamily<Child extends { readonly labelValues: readonly string[] }> {
  protected readonly children = new Map<string, Child>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
  ) {}

  protected abstract newChild(labelValues: readonly string[]): Child;

  /** The child for these label values (one per label name, in order), created on first use. */
  labels(...values: string[]): Child {
    if (values.length !== this.labelNames.length) {
      throw new Error(`metric ${this.name} takes ${this.labelNames.length} labels, got ${values.length}`);
    }
    const key = values.join('\u0000');
    let child = this.children.get(key);
    if (child === undefined) {
      child = this.newChild(values);
      this.children.set(key, child);
    }
    return child;
  }

  remove(...values: string[]): void {
    this.children.delete(values.join('\u0000'));
  }

  /** Drops every child whose label `labelName` has `value` (e.g. a deleted stream). */
  removeWhere(labelName: string, value: string): void {
    const index = this.labelNames.indexOf(labelName);
    if (index < 0) return;
    for (const [key, child] of this.children) {
      if (child.labelValues[index] === value) this.children.delete(key);
    }
  }

  abstract render(lines: string[]): void;
}

export class MetricFamily extends LabelledFamily<MetricChild> {
  constructor(name: string, help: string, readonly type: 'counter' | 'gauge', labelNames: readonly string[]) {
    super(name, help, labelNames);
  }

  protected newChild(labelValues: readonly string[]): MetricChild {
    return new MetricChild(labelValues);
  }

  render(lines: string[]): void {
    lines.push(`# HELP ${this.name} ${escapeHelp(this.help)}`);
    lines.push(`# TYPE ${this.name} ${this.type}`);
    for (const child of this.children.values()) {
      const labels = this.labelNames.map((name, i) => `${name}="${escapeLabelValue(child.labelValues[i]!)}"`);
      lines.push(`${this.name}${labels.length > 0 ? `{${labels.join(',')}}` : ''} ${formatValue(child.value)}`);
    }
  }
}

/**
 * One histogram series: cumulative only when rendered, so an observation is a bucket search and
 * two additions. Bounds are in the family's unit (seconds for durations), ascending.
 */
export class HistogramChild {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(readonly labelValues: readonly string[], readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    const { bounds } = this;
    let low = 0;
    let high = bounds.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (value <= bounds[mid]!) high = mid;
      else low = mid + 1;
    }
    this.counts[low]! += 1;
    this.sum += value;
    this.count += 1;
  }
}

export class HistogramFamily extends LabelledFamily<HistogramChild> {
  readonly type = 'histogram';

  constructor(name: string, help: string, labelNames: readonly string[], readonly bounds: readonly number[]) {
    super(name, help, labelNames);
  }

  protected newChild(labelValues: readonly string[]): HistogramChild {
    return new HistogramChild(labelValues, this.bounds);
  }

  render(lines: string[]): void {
    lines.push(`# HELP ${this.name} ${escapeHelp(this.help)}`);
    lines.push(`# TYPE ${this.name} histogram`);
    for (const child of this.children.values()) {
      const labels = this.labelNames.map((name, i) => `${name}="${escapeLabelValue(child.labelValues[i]!)}"`);
      const withLe = (le: string) => `{${[...labels, `le="${le}"`].join(',')}}`;
      const plain = labels.length > 0 ? `{${labels.join(',')}}` : '';
      let cumulative = 0;
      for (let i = 0; i < this.bounds.length; i++) {
        cumulative += child.counts[i]!;
        lines.push(`${this.name}_bucket${withLe(formatValue(this.bounds[i]!))} ${cumulative}`);
      }
      lines.push(`${this.name}_bucket${withLe('+Inf')} ${child.count}`);
      lines.push(`${this.name}_sum${plain} ${formatValue(child.sum)}`);
      lines.push(`${this.name}_count${plain} ${child.count}`);
    }
  }
}

export class MetricRegistry {
  private readonly families = new Map<string, MetricFamily | HistogramFamily>();
  private readonly collectHooks: Array<() => void> = [];

  counter(name: string, help: string, labelNames: readonly string[] = []): MetricFamily {
    return this.family(name, help, 'counter', labelNames);
  }

  gauge(name: string, help: string, labelNames: readonly string[] = []): MetricFamily {
    return this.family(name, help, 'gauge', labelNames);
  }

  /** `bounds`: the buckets' upper bounds, ascending; `+Inf` is implied. */
  histogram(name: string, help: string, bounds: readonly number[], labelNames: readonly string[] = []): HistogramFamily {
    checkName(name);
    if (bounds.length === 0 || bounds.some((bound, i) => !Number.isFinite(bound) || (i > 0 && bound <= bounds[i - 1]!))) {
      throw new Error(`histogram ${name} needs finite, strictly ascending bucket bounds`);
    }
    const existing = this.families.get(name);
    if (existing !== undefined) {
      if (!(existing instanceof HistogramFamily)) throw new Error(`metric ${name} already registered as ${existing.type}`);
      return existing;
    }
    const family = new HistogramFamily(name, help, labelNames, bounds);
    this.families.set(name, family);
    return family;
  }

  onCollect(hook: () => void): void {
    this.collectHooks.push(hook);
  }

  removeWhere(labelName: string, value: string): void {
    for (const family of this.families.values()) family.removeWhere(labelName, value);
  }

  /** The registry in Prometheus text format (`Content-Type: text/plain; version=0.0.4`). */
  render(): string {
    for (const hook of this.collectHooks) hook();
    const lines: string[] = [];
    for (const family of this.families.values()) family.render(lines);
    return lines.join('\n') + '\n';
  }

  private family(name: string, help: string, type: 'counter' | 'gauge', labelNames: readonly string[]): MetricFamily {
    checkName(name);
    const existing = this.families.get(name);
    if (existing !== undefined) {
      if (!(existing instanceof MetricFamily) || existing.type !== type) throw new Error(`metric ${name} already registered as ${existing.type}`);
      return existing;
    }
    const family = new MetricFamily(name, help, type, labelNames);
    this.families.set(name, family);
    return family;
  }
}

function checkName(name: string): void {
  if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) throw new Error(`invalid metric name ${name}`);
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function escapeLabelValue(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}
