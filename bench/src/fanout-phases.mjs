/** Byte 8 of every fan-out bench record: which phase of the fan-out stage sent it. */
export const LATENCY_PHASE = 1;
export const THROUGHPUT_PHASE = 2;
/** Slots of a consumer's shared progress counters (Int32Array over a SharedArrayBuffer). */
export const LATENCY_COUNT = 0;
export const THROUGHPUT_COUNT = 1;
