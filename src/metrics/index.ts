export { MetricRegistry, MetricFamily, MetricChild, HistogramFamily, HistogramChild, PROMETHEUS_CONTENT_TYPE } from './registry.js';
export { LatencyMetrics } from './latency-metrics.js';
export { KinesisMetrics, SHARD_LEVEL_METRICS, type ShardLevelMetric, type ShardWriteTotals, type WriteObserver } from './kinesis-metrics.js';
