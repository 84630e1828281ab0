import type { SubscribeInput } from '../../fanout/fanout-service.js';
import type { KinesisOperation } from './deps.js';

/** Answers with an event stream (see fanout/subscription.ts); errors found before the first
 * event are ordinary error responses. */
export const subscribeToShard: KinesisOperation = ({ fanout }) => (input: SubscribeInput, ctx) => fanout.subscribe(input, ctx.signal);
