import { changeEnhancedMonitoring } from './enable-enhanced-monitoring.js';
import type { KinesisOperation } from './deps.js';

interface DisableEnhancedMonitoringInput {
  StreamName?: string;
  StreamARN?: string;
  ShardLevelMetrics: string[];
}

export const disableEnhancedMonitoring: KinesisOperation = (deps) => (input: DisableEnhancedMonitoringInput) =>
  changeEnhancedMonitoring(deps, input, (current, requested) => current.filter((metric) => !requested.includes(metric)));
