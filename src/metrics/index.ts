export { MetricRegistry, MetricFamily, MetricChild, PROMETHEUS_CONTENT_TYPE } from './registry.js';
export { KinesisMetrics, SHARD_LEVEL_METRICS, type ShardLevelMetric, type ShardWriteTotals, type WriteObserver } from './kinesis-metrics.js';
