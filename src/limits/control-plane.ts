/**
 * Wraps a service's operation map so every operation with a TPS quota is checked before its
 * handler runs. The stream a call concerns comes from StreamName, or the name inside StreamARN,
 * ResourceARN or ConsumerARN.
 */
import type { OperationHandler } from '../api/operation.js';
import type { Limits } from './limits.js';

const STREAM_IN_ARN = /:stream\/([a-zA-Z0-9_.-]+)/;

export function streamNameOfInput(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const fields = input as Record<string, unknown>;
  if (typeof fields.StreamName === 'string') return fields.StreamName;
  for (const arnField of ['StreamARN', 'ResourceARN', 'ConsumerARN']) {
    const arn = fields[arnField];
    if (typeof arn === 'string') {
      const match = STREAM_IN_ARN.exec(arn);
      if (match) return match[1];
    }
  }
  return undefined;
}

export function withControlPlaneLimits(
  operations: ReadonlyMap<string, OperationHandler>,
  limits: Limits,
): ReadonlyMap<string, OperationHandler> {
  if (!limits.enabled) return operations;
  const wrapped = new Map<string, OperationHandler>();
  for (const [name, handler] of operations) {
    wrapped.set(name, (input, ctx) => {
      limits.checkControlPlane(name, streamNameOfInput(input));
      return handler(input, ctx);
    });
  }
  return wrapped;
}
