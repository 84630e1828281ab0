export { MetricRegistry, MetricFamily, MetricChild, PROMETHEUS_CONTENT_TYPE } from './registry.js';
export { KinesisMetrics, SHARD_LEVEL_METRICS, type ShardLevelMetric } from './kinesis-metrics.js';
