/**
 * Reads Runnel's latency histograms from GET /metrics, so a stage can report the server's own
 * share of a latency beside what the clients measured: take a snapshot before a phase and one
 * after, and the quantiles come from the difference of the bucket counts.
 */

/** Every histogram series of the exposition: name{labels} → { bounds, cumulative counts }. */
function parseHistograms(text) {
  const series = new Map();
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)_bucket\{(.*)le="([^"]+)"\} (\S+)$/.exec(line);
    if (!match) continue;
    const [, name, labels, le, value] = match;
    const key = `${name}{${labels.replace(/,$/, '')}}`;
    let entry = series.get(key);
    if (!entry) series.set(key, (entry = { bounds: [], cumulative: [] }));
    entry.bounds.push(le === '+Inf' ? Infinity : Number(le));
    entry.cumulative.push(Number(value));
  }
  return series;
}

export async function scrapeHistograms(endpoint) {
  const response = await fetch(`${endpoint}/metrics`);
  if (!response.ok) throw new Error(`GET ${endpoint}/metrics: HTTP ${response.status}`);
  return parseHistograms(await response.text());
}

/**
 * The q-quantile of the observations between two snapshots of one series, interpolated linearly
 * within its bucket as Prometheus' histogram_quantile does; in ms. Undefined without observations.
 */
function quantileMs(before, after, q) {
  const counts = after.cumulative.map((count, i) => count - (before?.cumulative[i] ?? 0));
  const total = counts.at(-1);
  if (!total) return undefined;
  const rank = q * total;
  for (let i = 0; i < counts.length; i++) {
    if (counts[i] < rank) continue;
    const upper = after.bounds[i];
    const lower = i === 0 ? 0 : after.bounds[i - 1];
    if (upper === Infinity) return lower * 1000;
    const below = i === 0 ? 0 : counts[i - 1];
    const inBucket = counts[i] - below;
    return (lower + (upper - lower) * (inBucket === 0 ? 1 : (rank - below) / inBucket)) * 1000;
  }
  return undefined;
}

/** p50 / p90 / p99 in ms and the count of one series between two snapshots. */
export function histogramSummary(before, after, key) {
  const end = after.get(key);
  if (!end) return undefined;
  const start = before.get(key);
  return {
    count: end.cumulative.at(-1) - (start?.cumulative.at(-1) ?? 0),
    p50Ms: quantileMs(start, end, 0.5),
    p90Ms: quantileMs(start, end, 0.9),
    p99Ms: quantileMs(start, end, 0.99),
  };
}
