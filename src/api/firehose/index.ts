/**
 * The Firehose service registry: target prefix `Firehose_20150804`, one handler per operation.
 * The delivery-stream engine lives in `src/firehose/`; the files here only map wire inputs to it.
 *
 * S3 destinations write to the embedded file store `<dataDir>/s3/<bucket>/<key>` unless
 * `config.s3Endpoint` points delivery at an S3 API. With `--in-memory` the file store lives in a
 * fresh temporary directory, removed on close (DescribeDeliveryStream's RunnelDeliveryStatus and
 * the startup log name it).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileSystemObjectStore } from '../../firehose/object-store/filesystem.js';
import { S3ApiObjectStore } from '../../firehose/object-store/s3-api.js';
import type { ObjectStore } from '../../firehose/object-store/types.js';
import { kinesisSourceFactory } from '../../firehose/kinesis-source.js';
import { FirehoseService } from '../../firehose/service.js';
import type { AppDeps } from '../../server/app.js';
import type { Storage } from '../../storage/types.js';
import type { StreamService } from '../../streams/stream-service.js';
import type { OperationHandler, ServiceDefinition } from '../operation.js';
import { createDeliveryStream } from './create-delivery-stream.js';
import { deleteDeliveryStream } from './delete-delivery-stream.js';
import { describeDeliveryStream } from './describe-delivery-stream.js';
import { listDeliveryStreams } from './list-delivery-streams.js';
import { listTagsForDeliveryStream } from './list-tags-for-delivery-stream.js';
import { putRecordBatch } from './put-record-batch.js';
import { putRecord } from './put-record.js';
import { startDeliveryStreamEncryption } from './start-delivery-stream-encryption.js';
import { stopDeliveryStreamEncryption } from './stop-delivery-stream-encryption.js';
import { tagDeliveryStream } from './tag-delivery-stream.js';
import { untagDeliveryStream } from './untag-delivery-stream.js';
import { updateDestination } from './update-destination.js';

export interface FirehoseApiDeps extends AppDeps {
  readonly storage: Storage;
  /** The Kinesis stream engine, for KinesisStreamAsSource delivery streams. */
  readonly streams: StreamService;
}

export interface FirehoseApi {
  readonly service: ServiceDefinition;
  /** The engine, for `runnel firehose status` and tests. */
  readonly firehose: FirehoseService;
  close(): Promise<void>;
}

async function openObjectStore(deps: FirehoseApiDeps): Promise<ObjectStore> {
  const { config } = deps;
  if (config.s3Endpoint) {
    return new S3ApiObjectStore({ endpoint: config.s3Endpoint, region: config.region, forcePathStyle: config.s3ForcePathStyle });
  }
  if (config.inMemory) return FileSystemObjectStore.open(await mkdtemp(join(tmpdir(), 'runnel-s3-')), { removeOnClose: true });
  return FileSystemObjectStore.open(join(config.dataDir, 's3'));
}

export async function createFirehoseApi(deps: FirehoseApiDeps): Promise<FirehoseApi> {
  const objectStore = await openObjectStore(deps);
  const log = deps.log.child({ component: 'firehose' });
  const kinesisSources = kinesisSourceFactory(deps.streams, deps.storage.meta);
  const firehose = new FirehoseService({ config: deps.config, clock: deps.clock, log, storage: deps.storage, objectStore, kinesisSources });
  await firehose.open();
  log.info('firehose objects go to ' + objectStore.location);
  const operations = new Map<string, OperationHandler>([
    ['CreateDeliveryStream', createDeliveryStream(firehose)],
    ['DeleteDeliveryStream', deleteDeliveryStream(firehose)],
    ['DescribeDeliveryStream', describeDeliveryStream(firehose)],
    ['ListDeliveryStreams', listDeliveryStreams(firehose)],
    ['UpdateDestination', updateDestination(firehose)],
    ['PutRecord', putRecord(firehose)],
    ['PutRecordBatch', putRecordBatch(firehose)],
    ['StartDeliveryStreamEncryption', startDeliveryStreamEncryption(firehose)],
    ['StopDeliveryStreamEncryption', stopDeliveryStreamEncryption(firehose)],
    ['TagDeliveryStream', tagDeliveryStream(firehose)],
    ['UntagDeliveryStream', untagDeliveryStream(firehose)],
    ['ListTagsForDeliveryStream', listTagsForDeliveryStream(firehose)],
  ]);
  return {
    service: { targetPrefix: 'Firehose_20150804', signingName: 'firehose', modelName: 'firehose', operations },
    firehose,
    close: () => firehose.close(),
  };
}

export { firehoseMetricsText } from '../../firehose/metrics.js';
