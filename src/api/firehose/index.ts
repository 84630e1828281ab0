/**
 * The Firehose service registry: target prefix `Firehose_20150804`, one handler per operation.
 * The delivery-stream engine lives in `src/firehose/`; the files here only map wire inputs to it.
 */
import type { OperationHandler, ServiceDefinition } from '../operation.js';
import type { AppDeps } from '../../server/app.js';
import type { Storage } from '../../storage/types.js';

export interface FirehoseApiDeps extends AppDeps {
  readonly storage: Storage;
  readonly streams: unknown;
}

export interface FirehoseApi {
  readonly service: ServiceDefinition;
  close(): Promise<void>;
}

export async function createFirehoseApi(deps: FirehoseApiDeps): Promise<FirehoseApi> {
  void deps;
  const operations = new Map<string, OperationHandler>();
  return {
    service: { targetPrefix: 'Firehose_20150804', signingName: 'firehose', modelName: 'firehose', operations },
    close: async () => {},
  };
}
