/**
 * The AWS event-stream test vectors (the encoded/decoded corpus shipped with the AWS SDKs' event
 * stream codecs), as hex. Each `decoded` is what the encoded bytes mean per the framing spec.
 */
import type { EventStreamFrame } from '../../src/wire/event-stream/message.js';

const FOO_BAR_PAYLOAD = Buffer.from("{'foo':'bar'}", 'utf8');

export interface SuccessVector { readonly name: string; readonly hex: string; readonly decoded: EventStreamFrame }
export interface FailureVector { readonly name: string; readonly hex: string; readonly error: RegExp }

export const successVectors: readonly SuccessVector[] = [
  {
    name: 'all_headers',
    hex: '000000cc000000af0fae64ca0a6576656e742d74797065040000a00c0c636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e0a626f6f6c2066616c73650109626f6f6c207472756500046279746502cf08627974652062756606001449276d2061206c6974746c6520746561706f74210974696d657374616d70080000000000845fed05696e74313603002a05696e7436340500000000028757b20475756964090102030405060708090a0b0c0d0e0f107b27666f6f273a27626172277daba5f10c',
    decoded: {
      headers: [
        { name: 'event-type', value: { type: 'integer', value: 40972 } },
        { name: 'content-type', value: { type: 'string', value: 'application/json' } },
        { name: 'bool false', value: { type: 'boolean', value: false } },
        { name: 'bool true', value: { type: 'boolean', value: true } },
        { name: 'byte', value: { type: 'byte', value: -49 } },
        { name: 'byte buf', value: { type: 'binary', value: Buffer.from("I'm a little teapot!", 'utf8') } },
        { name: 'timestamp', value: { type: 'timestamp', value: new Date(8675309) } },
        { name: 'int16', value: { type: 'short', value: 42 } },
        { name: 'int64', value: { type: 'long', value: 42424242n } },
        { name: 'uuid', value: { type: 'uuid', value: '01020304-0506-0708-090a-0b0c0d0e0f10' } },
      ],
      payload: FOO_BAR_PAYLOAD,
    },
  },
  { name: 'empty_message', hex: '000000100000000005c248eb7d98c8ff', decoded: { headers: [], payload: new Uint8Array() } },
  {
    name: 'int32_header',
    hex: '0000002d0000001041c424b80a6576656e742d74797065040000a00c7b27666f6f273a27626172277d36f480a0',
    decoded: { headers: [{ name: 'event-type', value: { type: 'integer', value: 40972 } }], payload: FOO_BAR_PAYLOAD },
  },
  {
    name: 'payload_no_headers',
    hex: '0000001d00000000fd528c5a7b27666f6f273a27626172277dc3653936',
    decoded: { headers: [], payload: FOO_BAR_PAYLOAD },
  },
  {
    name: 'payload_one_str_header',
    hex: '0000003d0000002007fd83960c636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e7b27666f6f273a27626172277d8d9c08b1',
    decoded: { headers: [{ name: 'content-type', value: { type: 'string', value: 'application/json' } }], payload: FOO_BAR_PAYLOAD },
  },
];

export const failureVectors: readonly FailureVector[] = [
  {
    name: 'corrupted_headers',
    hex: '0000003d0000002007fd83960c636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e7b61666f6f273a27626172277d8d9c08b1',
    error: /message checksum mismatch/,
  },
  {
    name: 'corrupted_header_len',
    hex: '0000003d0000002107fd83960c636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e7b27666f6f273a27626172277d8d9c08b1',
    error: /prelude checksum mismatch/,
  },
  {
    name: 'corrupted_length',
    hex: '0000003e0000002007fd83960c636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e7b27666f6f273a27626172277d8d9c08b1',
    error: /prelude checksum mismatch/,
  },
  {
    name: 'corrupted_payload',
    hex: '0000001d00000000fd528c5a5b27666f6f273a27626172277dc3653936',
    error: /message checksum mismatch/,
  },
];
