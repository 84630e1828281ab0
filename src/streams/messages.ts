/** AWS's wording for the stream errors several operations share (AWS-FACTS §3). */
import { InvalidArgumentException, LimitExceededException, ResourceInUseException, ResourceNotFoundException } from '../errors/kinesis.js';
import { formatShardId } from '../domain/shard-id.js';

export function streamNotFound(stream: string, accountId: string): ResourceNotFoundException {
  return new ResourceNotFoundException(`Stream ${stream} under account ${accountId} not found.`);
}

export function streamAlreadyExists(stream: string, accountId: string): ResourceInUseException {
  return new ResourceInUseException(`Stream ${stream} under account ${accountId} already exists.`);
}

export function streamNotActive(stream: string, accountId: string, status: string): ResourceInUseException {
  return new ResourceInUseException(`Stream ${stream} under account ${accountId} not ACTIVE, instead in state ${status}`);
}

export function shardIdUnparseable(shardId: string, stream: string, accountId: string): ResourceNotFoundException {
  return new ResourceNotFoundException(`Could not find shard ${shardId} in stream ${stream} under account ${accountId}.`);
}

export function shardNotFound(shardIndex: number, stream: string, accountId: string): ResourceNotFoundException {
  return new ResourceNotFoundException(`Shard ${formatShardId(shardIndex)} in stream ${stream} under account ${accountId} does not exist`);
}

export function shardLimitExceeded(accountId: string, region: string, current: number, limit: number, additional: number): LimitExceededException {
  return new LimitExceededException(
    `This request would exceed the shard limit for the account ${accountId} in ${region}. Current shard count for the account: ${current}. ` +
    `Limit: ${limit}. Number of additional shards that would have resulted from this request: ${additional}. ` +
    'Refer to the AWS Service Limits page (http://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) for current limits and how to request higher limits.',
  );
}

export function invalidArgument(message: string): InvalidArgumentException {
  return new InvalidArgumentException(message);
}

export function onDemandStreamLimitExceeded(accountId: string, region: string, current: number, limit: number): LimitExceededException {
  return new LimitExceededException(
    `This request would exceed the on-demand stream count limit for the account ${accountId} in ${region}. ` +
    `Current on-demand stream count for the account: ${current}. Limit: ${limit}.`,
  );
}
