/**
 * Sizes of the AWS event-stream framing (vnd.amazon.eventstream).
 *
 *   total length u32 | headers length u32 | prelude CRC32 u32 | headers | payload | message CRC32 u32
 */
export const TOTAL_LENGTH_BYTES = 4;
export const HEADERS_LENGTH_BYTES = 4;
export const PRELUDE_BYTES = TOTAL_LENGTH_BYTES + HEADERS_LENGTH_BYTES;
export const CRC_BYTES = 4;
/** Prelude plus its CRC: what a reader needs before it can trust the lengths. */
export const PRELUDE_WITH_CRC_BYTES = PRELUDE_BYTES + CRC_BYTES;
/** A message with no headers and no payload. */
export const MESSAGE_BYTES_MIN = PRELUDE_WITH_CRC_BYTES + CRC_BYTES;
export const MESSAGE_BYTES_MAX = 16 * 1024 * 1024;
export const HEADERS_BYTES_MAX = 128 * 1024;
export const HEADER_NAME_BYTES_MAX = 255;
/** String and byte-array header values carry a u16 length. */
export const HEADER_VALUE_BYTES_MAX = 65535;
export const UUID_BYTES = 16;
