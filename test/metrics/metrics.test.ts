import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KinesisMetrics, MetricRegistry } from '../../src/metrics/index.js';

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('MetricRegistry', () => {
  it('renders counters and gauges with escaped labels in Prometheus text format', () => {
    const registry = new MetricRegistry();
    registry.counter('c_total', 'a counter', ['name']).labels('a"b\\c\nd').inc(3);
    registry.gauge('g', 'a gauge').labels().set(-1.5);
    assert.equal(registry.render(), [
      '# HELP c_total a counter',
      '# TYPE c_total counter',
      'c_total{name="a\\"b\\\\c\\nd"} 3',
      '# HELP g a gauge',
      '# TYPE g gauge',
      'g -1.5',
      '',
    ].join('\n'));
  });

  it('renders histograms with cumulative buckets, +Inf, sum and count; a value on a bound falls in that bucket', () => {
    const registry = new MetricRegistry();
    const child = registry.histogram('h_seconds', 'a histogram', [0.001, 0.01, 0.1], ['op']).labels('Put');
    for (const value of [0.0005, 0.001, 0.002, 0.05, 3]) child.observe(value);
    assert.equal(registry.render(), [
      '# HELP h_seconds a histogram',
      '# TYPE h_seconds histogram',
      'h_seconds_bucket{op="Put",le="0.001"} 2',
      'h_seconds_bucket{op="Put",le="0.01"} 3',
      'h_seconds_bucket{op="Put",le="0.1"} 4',
      'h_seconds_bucket{op="Put",le="+Inf"} 5',
      `h_seconds_sum{op="Put"} ${0.0005 + 0.001 + 0.002 + 0.05 + 3}`,
      'h_seconds_count{op="Put"} 5',
      '',
    ].join('\n'));
  });

  it('refuses histogram bounds that are not strictly ascending and finite, and a name taken by another type', () => {
    const registry = new MetricRegistry();
    assert.throws(() => registry.histogram('a', 'h', []));
    assert.throws(() => registry.histogram('b', 'h', [0.1, 0.1]));
    assert.throws(() => registry.histogram('c', 'h', [0.1, Infinity]));
    registry.counter('taken_total', 'h');
    assert.throws(() => registry.histogram('taken_total', 'h', [1]));
    registry.histogram('hist', 'h', [1]);
    assert.throws(() => registry.counter('hist', 'h'));
  });

  it('rejects wrong label counts and invalid names', () => {
    const registry = new MetricRegistry();
    assert.throws(() => registry.counter('x', 'h', ['a']).labels());
    assert.throws(() => registry.counter('bad-name', 'h'));
  });
});

describe('KinesisMetrics', () => {
  it('keeps stream-level series always and shard-level ones only when enabled', () => {
    const metrics = new KinesisMetrics();
    metrics.recordsWritten('s', 'shardId-000000000000', 2, 100);
    let text = metrics.registry.render();
    assert.equal(sample(text, 'runnel_kinesis_stream_incoming_records_total{stream="s"}'), 2);
    assert.equal(sample(text, 'runnel_kinesis_stream_incoming_bytes_total{stream="s"}'), 100);
    assert.equal(sample(text, 'runnel_kinesis_shard_incoming_records_total{stream="s",shard="shardId-000000000000"}'), undefined);

    metrics.setShardLevelMetrics('s', ['IncomingRecords', 'IteratorAgeMilliseconds']);
    metrics.recordsWritten('s', 'shardId-000000000000', 3, 30);
    metrics.recordsRead('s', 'shardId-000000000000', 1, 10, 500);
    metrics.recordsRead('s', 'shardId-000000000001', 1, 10, 900);
    metrics.writesThrottled('s', 'shardId-000000000000', 4);
    metrics.readsThrottled('s', 'shardId-000000000001');
    text = metrics.registry.render();
    assert.equal(sample(text, 'runnel_kinesis_shard_incoming_records_total{stream="s",shard="shardId-000000000000"}'), 3);
    assert.equal(sample(text, 'runnel_kinesis_shard_incoming_bytes_total{stream="s",shard="shardId-000000000000"}'), undefined);
    assert.equal(sample(text, 'runnel_kinesis_shard_iterator_age_milliseconds{stream="s",shard="shardId-000000000001"}'), 900);
    assert.equal(sample(text, 'runnel_kinesis_stream_iterator_age_milliseconds{stream="s"}'), 900);
    assert.equal(sample(text, 'runnel_kinesis_stream_incoming_records_total{stream="s"}'), 5);
    assert.equal(sample(text, 'runnel_kinesis_stream_write_provisioned_throughput_exceeded_total{stream="s"}'), 4);
    assert.equal(sample(text, 'runnel_kinesis_stream_read_provisioned_throughput_exceeded_total{stream="s"}'), 1);
    assert.equal(sample(text, 'runnel_kinesis_stream_outgoing_bytes_total{stream="s"}'), 20);

    metrics.setShardLevelMetrics('s', []);
    text = metrics.registry.render();
    assert.equal(sample(text, 'runnel_kinesis_shard_incoming_records_total{stream="s",shard="shardId-000000000000"}'), undefined);

    metrics.setShardLevelMetrics('s', ['IncomingRecords']);
    metrics.recordsWritten('s', 'shardId-000000000001', 1, 1);
    metrics.retainShards('s', new Set(['shardId-000000000000']));
    text = metrics.registry.render();
    assert.equal(sample(text, 'runnel_kinesis_shard_incoming_records_total{stream="s",shard="shardId-000000000001"}'), undefined);
    assert.equal(sample(text, 'runnel_kinesis_shard_incoming_records_total{stream="s",shard="shardId-000000000000"}'), 0);

    metrics.forgetStream('s');
    assert.equal(sample(metrics.registry.render(), 'runnel_kinesis_stream_incoming_records_total{stream="s"}'), undefined);
  });
});
