import { SHARD_LEVEL_METRICS } from '../../metrics/index.js';
import { streamNotActive } from '../../streams/messages.js';
import { asShardLevelMetrics } from './control-plane.js';
import type { KinesisDeps, KinesisOperation } from './deps.js';

interface EnhancedMonitoringInput {
  StreamName?: string;
  StreamARN?: string;
  ShardLevelMetrics: string[];
}

/** `ALL` stands for every metric; results list metrics in CloudWatch's documented order. */
export function expandMetrics(names: readonly string[]): string[] {
  return names.includes('ALL') ? [...SHARD_LEVEL_METRICS] : asShardLevelMetrics(names);
}

/** Shared by Enable and Disable: `change` maps the current metric set to the desired one. */
export async function changeEnhancedMonitoring(
  { streams, controlPlane }: KinesisDeps,
  input: EnhancedMonitoringInput,
  change: (current: readonly string[], requested: readonly string[]) => string[],
): Promise<Record<string, unknown>> {
  const stream = streams.resolve(input);
  if (stream.status !== 'ACTIVE') throw streamNotActive(stream.name, streams.accountId, stream.status);
  const requested = expandMetrics(input.ShardLevelMetrics);
  let current: string[] = [];
  const updated = await streams.mutate(stream.name, (meta) => {
    current = asShardLevelMetrics(meta.shardLevelMetrics);
    return { ...meta, shardLevelMetrics: asShardLevelMetrics(change(current, requested)) };
  });
  controlPlane.metrics.setShardLevelMetrics(updated.name, asShardLevelMetrics(updated.meta.shardLevelMetrics));
  return {
    StreamName: updated.name,
    StreamARN: updated.arn,
    CurrentShardLevelMetrics: current,
    DesiredShardLevelMetrics: [...updated.meta.shardLevelMetrics],
  };
}

export const enableEnhancedMonitoring: KinesisOperation = (deps) => (input: EnhancedMonitoringInput) =>
  changeEnhancedMonitoring(deps, input, (current, requested) => [...current, ...requested]);
