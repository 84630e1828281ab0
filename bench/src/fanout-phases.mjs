/** Byte 8 of every fan-out bench record: which phase of the fan-out stage sent it. */
export const LATENCY_PHASE = 1;
export const THROUGHPUT_PHASE = 2;
