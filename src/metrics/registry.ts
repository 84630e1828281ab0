/**
 * A small metrics registry rendered in the Prometheus text exposition format (version 0.0.4).
 *
 * Families are created once; each label combination is a child whose handle callers keep, so the
 * hot path is one number addition. Collect hooks run before rendering for values that are cheaper
 * to compute on scrape (e.g. a maximum over shards).
 */

export type MetricType = 'counter' | 'gauge';

export class MetricChild {
  value = 0;
  constructor(readonly labelValues: readonly string[]) {}
  inc(amount = 1): void { this.value += amount; }
  set(value: number): void { this.value = value; }
}

export class MetricFamily {
  private readonly children = new Map<string, MetricChild>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: MetricType,
    readonly labelNames: readonly string[],
  ) {}

  /** The child for these label values (one per label name, in order), created on first use. */
  labels(...values: string[]): MetricChild {
    if (values.length !== this.labelNames.length) {
      throw new Error(`metric ${this.name} takes ${this.labelNames.length} labels, got ${values.length}`);
    }
    const key = values.join('\u0000');
    let child = this.children.get(key);
    if (child === undefined) {
      child = new MetricChild(values);
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

  render(lines: string[]): void {
    lines.push(`# HELP ${this.name} ${escapeHelp(this.help)}`);
    lines.push(`# TYPE ${this.name} ${this.type}`);
    for (const child of this.children.values()) {
      const labels = this.labelNames.map((name, i) => `${name}="${escapeLabelValue(child.labelValues[i]!)}"`);
      lines.push(`${this.name}${labels.length > 0 ? `{${labels.join(',')}}` : ''} ${formatValue(child.value)}`);
    }
  }
}

export class MetricRegistry {
  private readonly families = new Map<string, MetricFamily>();
  private readonly collectHooks: Array<() => void> = [];

  counter(name: string, help: string, labelNames: readonly string[] = []): MetricFamily {
    return this.family(name, help, 'counter', labelNames);
  }

  gauge(name: string, help: string, labelNames: readonly string[] = []): MetricFamily {
    return this.family(name, help, 'gauge', labelNames);
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

  private family(name: string, help: string, type: MetricType, labelNames: readonly string[]): MetricFamily {
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) throw new Error(`invalid metric name ${name}`);
    const existing = this.families.get(name);
    if (existing !== undefined) {
      if (existing.type !== type) throw new Error(`metric ${name} already registered as ${existing.type}`);
      return existing;
    }
    const family = new MetricFamily(name, help, type, labelNames);
    this.families.set(name, family);
    return family;
  }
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
