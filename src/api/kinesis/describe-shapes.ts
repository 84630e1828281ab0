/** Output shapes several operations share. */
import type { StreamView } from '../../domain/stream.js';

export function streamModeDetails(stream: StreamView): { StreamMode: string } {
  return { StreamMode: stream.meta.mode };
}

export function enhancedMonitoring(stream: StreamView): { ShardLevelMetrics: string[] }[] {
  return [{ ShardLevelMetrics: [...stream.meta.shardLevelMetrics] }];
}

export function encryptionFields(stream: StreamView): { EncryptionType: string; KeyId?: string } {
  return {
    EncryptionType: stream.meta.encryptionType,
    ...(stream.meta.keyId !== undefined ? { KeyId: stream.meta.keyId } : {}),
  };
}
