/** Reading whole shards through the SDK, as a consumer would. */
import { GetRecordsCommand, GetShardIteratorCommand, type ChildShard, type KinesisClient, type _Record } from '@aws-sdk/client-kinesis';

const FIRST_SHARD_ID = 'shardId-000000000000';

export interface ShardContents {
  readonly records: _Record[];
  /** The ChildShards of the last page: set once a closed shard has been read to its end. */
  readonly childShards: ChildShard[] | undefined;
  /** True when the shard is closed and was read to its end (the last page had no NextShardIterator). */
  readonly closed: boolean;
}

/** Pages that may pass before a shard must have ended; only a server that never ends a read gets there. */
const MAX_PAGES = 1000;

/** Every record of one shard from TRIM_HORIZON up to its end: the end of a closed shard, or an
 * empty page at the tip of an open one. */
export async function readShardToEnd(client: KinesisClient, StreamName: string, ShardId = FIRST_SHARD_ID): Promise<ShardContents> {
  let { ShardIterator } = await client.send(new GetShardIteratorCommand({ StreamName, ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
  const records: _Record[] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const reply = await client.send(new GetRecordsCommand({ ShardIterator }));
    const pageRecords = reply.Records ?? [];
    records.push(...pageRecords);
    if (reply.NextShardIterator === undefined) return { records, childShards: reply.ChildShards, closed: true };
    if (pageRecords.length === 0 && reply.MillisBehindLatest === 0) return { records, childShards: reply.ChildShards, closed: false };
    ShardIterator = reply.NextShardIterator;
  }
  throw new Error(`${StreamName}/${ShardId} did not end within ${MAX_PAGES} GetRecords pages`);
}

/** The data of each record as UTF-8 text. */
export function recordTexts(records: readonly _Record[]): string[] {
  return records.map((record) => Buffer.from(record.Data!).toString());
}
