/**
 * Error texts for consumers and SubscribeToShard. AWS documents none of them; the ones marked
 * (seen) were observed in AWS error reports, the others follow AWS's usual wording.
 */
import { InvalidArgumentException, LimitExceededException, ResourceInUseException, ResourceNotFoundException } from '../errors/kinesis.js';

export function consumerNotFound(consumerName: string, streamName: string, accountId: string): ResourceNotFoundException {
  return new ResourceNotFoundException(`Consumer ${consumerName} under stream ${streamName} under account ${accountId} not found.`);
}

export function consumerArnNotFound(arn: string): ResourceNotFoundException {
  return new ResourceNotFoundException(`Consumer ${arn} not found.`);
}

export function consumerAlreadyExists(consumerName: string, streamName: string, accountId: string): ResourceInUseException {
  return new ResourceInUseException(`Consumer ${consumerName} under stream ${streamName} under account ${accountId} already exists.`);
}

/** (seen) */
export function consumerNotActive(consumerName: string, createdSec: number, streamName: string, accountId: string): ResourceInUseException {
  return new ResourceInUseException(`Consumer ${consumerName} with creation timestamp ${createdSec} under stream ${streamName} and account ${accountId} is not in ACTIVE status.`);
}

export function consumerLimitExceeded(streamName: string, accountId: string, limit: number): LimitExceededException {
  return new LimitExceededException(`Number of registered consumers for stream ${streamName} under account ${accountId} exceeds the limit of ${limit}.`);
}

export function consumersCreatingLimitExceeded(streamName: string, accountId: string, limit: number): LimitExceededException {
  return new LimitExceededException(`Number of consumers in CREATING status for stream ${streamName} under account ${accountId} exceeds the limit of ${limit}.`);
}

export function consumerIdentifierMissing(): InvalidArgumentException {
  return new InvalidArgumentException('Either ConsumerARN or both StreamARN and ConsumerName should be provided.');
}

export function streamHasConsumers(streamName: string, accountId: string): ResourceInUseException {
  return new ResourceInUseException(`Stream ${streamName} under account ${accountId} has registered consumers. Deregister them first or set EnforceConsumerDeletion.`);
}

/** (seen) Another subscription of this consumer to this shard started less than 5 s ago or is
 * taking over this one. */
export function subscriptionInUse(accountId: string, streamName: string, shardId: string, consumerName: string): ResourceInUseException {
  return new ResourceInUseException(`Another active subscription exists for this consumer: ${accountId}:${streamName}:${shardId}:${consumerName}`);
}

export function subscribeRateExceeded(consumerArn: string, shardId: string): LimitExceededException {
  return new LimitExceededException(`Rate exceeded for consumer ${consumerArn} and shard ${shardId}.`);
}
