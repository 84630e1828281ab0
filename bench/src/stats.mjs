/** Small statistics helpers over millisecond samples. */
export function percentile(sortedSamples, fraction) {
  if (sortedSamples.length === 0) return undefined;
  const index = Math.min(sortedSamples.length - 1, Math.max(0, Math.ceil(fraction * sortedSamples.length) - 1));
  return sortedSamples[index];
}

export function summarizeLatencies(samples) {
  const sorted = Float64Array.from(samples).sort();
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    count: sorted.length,
    p50Ms: percentile(sorted, 0.5),
    p90Ms: percentile(sorted, 0.9),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.length ? sorted[sorted.length - 1] : undefined,
    meanMs: sorted.length ? total / sorted.length : undefined,
  };
}

export function perSecond(count, elapsedMs) {
  return elapsedMs > 0 ? (count * 1000) / elapsedMs : 0;
}
