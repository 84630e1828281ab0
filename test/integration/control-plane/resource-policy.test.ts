import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateStreamCommand,
  DeleteResourcePolicyCommand,
  DeleteStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  GetResourcePolicyCommand,
  PutRecordCommand,
  PutResourcePolicyCommand,
  RegisterStreamConsumerCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { TEST_CREDENTIALS, kinesisClient, startTestServer, type RunningServer } from '../../helpers/server.js';

const ACCOUNT = '000000000000';
const OTHER = { accessKeyId: 'AKIDOTHER', secretAccessKey: 'other-secret' };
const arn = (name: string) => `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/${name}`;

function denyPutFor(accessKeyId: string, resource: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'AllowAll', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kinesis:*', Resource: resource },
      { Sid: 'DenyPut', Effect: 'Deny', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/${accessKeyId}` }, Action: ['kinesis:PutRecord', 'kinesis:PutRecords'], Resource: resource },
    ],
  });
}

describe('Put/Get/DeleteResourcePolicy with signature verification on', () => {
  let server: RunningServer;
  let owner: KinesisClient;
  let other: KinesisClient;

  before(async () => {
    server = await startTestServer({ authKeys: new Map([[TEST_CREDENTIALS.accessKeyId, TEST_CREDENTIALS.secretAccessKey], [OTHER.accessKeyId, OTHER.secretAccessKey]]) });
    owner = kinesisClient(server.endpoint);
    other = kinesisClient(server.endpoint, { credentials: OTHER });
    await owner.send(new CreateStreamCommand({ StreamName: 'guarded', ShardCount: 1 }));
  });
  after(async () => {
    owner.destroy();
    other.destroy();
    await server.close();
  });

  it('answers {} without a policy, stores and returns a policy, and enforces its Deny', async () => {
    assert.equal((await owner.send(new GetResourcePolicyCommand({ ResourceARN: arn('guarded') }))).Policy, '{}');
    const policy = denyPutFor(OTHER.accessKeyId, arn('guarded'));
    await owner.send(new PutResourcePolicyCommand({ ResourceARN: arn('guarded'), Policy: policy }));
    assert.equal((await owner.send(new GetResourcePolicyCommand({ ResourceARN: arn('guarded') }))).Policy, policy);

    await owner.send(new PutRecordCommand({ StreamName: 'guarded', PartitionKey: 'k', Data: Buffer.from('ok') }));
    await assert.rejects(other.send(new PutRecordCommand({ StreamName: 'guarded', PartitionKey: 'k', Data: Buffer.from('no') })), {
      name: 'AccessDeniedException',
      message: `User: arn:aws:iam::${ACCOUNT}:user/AKIDOTHER is not authorized to perform: kinesis:PutRecord on resource: ${arn('guarded')} with an explicit deny in a resource-based policy`,
    });
    await other.send(new DescribeStreamSummaryCommand({ StreamName: 'guarded' }));

    await owner.send(new DeleteResourcePolicyCommand({ ResourceARN: arn('guarded') }));
    assert.equal((await owner.send(new GetResourcePolicyCommand({ ResourceARN: arn('guarded') }))).Policy, '{}');
    await other.send(new PutRecordCommand({ StreamName: 'guarded', PartitionKey: 'k', Data: Buffer.from('ok again') }));
  });

  it('rejects invalid documents with InvalidArgumentException', async () => {
    const cases: Array<[string, string]> = [
      ['not json', 'Invalid policy document: the document is not valid JSON'],
      ['{"Version":"2012-10-17","Statement":[]}', 'Invalid policy document: Statement is missing or empty'],
      ['{"Version":"2012-10-17","Statement":[{"Effect":"Maybe","Principal":"*","Action":"kinesis:*"}]}', 'Invalid policy document: statement 1: Effect must be Allow or Deny'],
      ['{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject"}]}', 'Invalid policy document: statement 1: action s3:GetObject is not a Kinesis action'],
      ['{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kinesis:*"}]}', 'Invalid policy document: statement 1 is missing Principal'],
      ['{"Version":"2001-01-01","Statement":[{"Effect":"Allow","Principal":"*","Action":"kinesis:*"}]}', 'Invalid policy document: Version must be 2012-10-17 or 2008-10-17'],
    ];
    for (const [policy, message] of cases) {
      await assert.rejects(owner.send(new PutResourcePolicyCommand({ ResourceARN: arn('guarded'), Policy: policy })), { name: 'InvalidArgumentException', message });
    }
  });

  it('checks GetRecords against the policy of the iterator\'s stream', async () => {
    await owner.send(new CreateStreamCommand({ StreamName: 'readers', ShardCount: 1 }));
    const { ShardIterator } = await other.send(new GetShardIteratorCommand({ StreamName: 'readers', ShardId: 'shardId-000000000000', ShardIteratorType: 'LATEST' }));
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/AKIDOTHER` }, Action: 'kinesis:GetRecords', Resource: arn('readers') }] });
    await owner.send(new PutResourcePolicyCommand({ ResourceARN: arn('readers'), Policy: policy }));
    await owner.send(new GetRecordsCommand({ ShardIterator }));
    await assert.rejects(other.send(new GetRecordsCommand({ ShardIterator })), { name: 'AccessDeniedException' });
  });

  it('attaches policies to registered consumers only', async () => {
    const { Consumer } = await owner.send(new RegisterStreamConsumerCommand({ StreamARN: arn('guarded'), ConsumerName: 'reader' }));
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 'kinesis:SubscribeToShard', Resource: Consumer!.ConsumerARN }] });
    await owner.send(new PutResourcePolicyCommand({ ResourceARN: Consumer!.ConsumerARN, Policy: policy }));
    assert.equal((await owner.send(new GetResourcePolicyCommand({ ResourceARN: Consumer!.ConsumerARN }))).Policy, policy);
    await assert.rejects(owner.send(new GetResourcePolicyCommand({ ResourceARN: `${arn('guarded')}/consumer/nobody:1700000000` })), { name: 'ResourceNotFoundException' });
  });

  it('answers ResourceNotFoundException for a missing stream, and a re-created stream has no policy', async () => {
    await assert.rejects(owner.send(new GetResourcePolicyCommand({ ResourceARN: arn('missing') })), {
      name: 'ResourceNotFoundException',
      message: `Stream missing under account ${ACCOUNT} not found.`,
    });
    await owner.send(new CreateStreamCommand({ StreamName: 'recreated', ShardCount: 1 }));
    await owner.send(new PutResourcePolicyCommand({ ResourceARN: arn('recreated'), Policy: denyPutFor(OTHER.accessKeyId, arn('recreated')) }));
    await owner.send(new DeleteStreamCommand({ StreamName: 'recreated' }));
    await owner.send(new CreateStreamCommand({ StreamName: 'recreated', ShardCount: 1 }));
    assert.equal((await owner.send(new GetResourcePolicyCommand({ ResourceARN: arn('recreated') }))).Policy, '{}');
    await other.send(new PutRecordCommand({ StreamName: 'recreated', PartitionKey: 'k', Data: Buffer.from('x') }));
  });
});
