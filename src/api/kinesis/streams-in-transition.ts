/** Rule shared by CreateStream and DeleteStream. */
import { LimitExceededException } from '../../errors/kinesis.js';
import type { StreamService } from '../../streams/stream-service.js';

/** AWS's hard per-account limit on streams that are CREATING or DELETING at the same time. */
export const STREAMS_IN_TRANSITION_MAX = 5;

/** Refuses a request that would put a sixth stream into CREATING or DELETING. The text is AWS's
 * as clients have logged it, grammar and double space included. */
export function checkStreamsInTransition(streams: StreamService): void {
  const inTransition = streams.list().filter((stream) => stream.status === 'CREATING' || stream.status === 'DELETING').length;
  if (inTransition >= STREAMS_IN_TRANSITION_MAX) {
    throw new LimitExceededException(
      'This request would have exceed the limit on the number  of streams that can simultaneously be in CREATING or DELETING ' +
      `for the account ${streams.accountId}. Limit: ${STREAMS_IN_TRANSITION_MAX}.`,
    );
  }
}
