import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateStreamCommand, ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { ManualClock } from '../../../src/domain/clock.js';
import { assertAwsError, useServer } from './helpers.js';

describe('ListStreams', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const t = useServer({}, { clock });
  const names = ['list-a', 'list-b', 'list-c', 'list-d', 'list-e'];

  it('lists every stream in name order with summaries', async () => {
    for (const StreamName of [...names].reverse()) await t.client.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }));
    const all = await t.client.send(new ListStreamsCommand({}));
    assert.deepEqual(all.StreamNames, names);
    assert.equal(all.HasMoreStreams, false);
    assert.equal(all.NextToken, undefined);
    assert.deepEqual(all.StreamSummaries?.map((summary) => [summary.StreamName, summary.StreamARN, summary.StreamStatus, summary.StreamModeDetails?.StreamMode]),
      names.map((name) => [name, t.arn(name), 'ACTIVE', 'PROVISIONED']));
  });

  it('pages with Limit, ExclusiveStartStreamName and NextToken', async () => {
    const first = await t.client.send(new ListStreamsCommand({ Limit: 2 }));
    assert.deepEqual(first.StreamNames, ['list-a', 'list-b']);
    assert.equal(first.HasMoreStreams, true);
    assert.ok(first.NextToken);
    const second = await t.client.send(new ListStreamsCommand({ NextToken: first.NextToken, Limit: 2 }));
    assert.deepEqual(second.StreamNames, ['list-c', 'list-d']);
    const rest = await t.client.send(new ListStreamsCommand({ ExclusiveStartStreamName: 'list-d' }));
    assert.deepEqual(rest.StreamNames, ['list-e']);
    assert.equal(rest.HasMoreStreams, false);
  });

  it('expires a NextToken after 300 seconds and refuses a forged one', async () => {
    const first = await t.client.send(new ListStreamsCommand({ Limit: 1 }));
    clock.advance(300_001);
    await assertAwsError(t.client.send(new ListStreamsCommand({ NextToken: first.NextToken })), 'ExpiredNextTokenException');
    await assertAwsError(t.client.send(new ListStreamsCommand({ NextToken: 'bm90IGEgdG9rZW4=' })), 'InvalidArgumentException');
  });
});
