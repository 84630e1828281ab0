/**
 * AWS's wording (Coral, the Java framework behind Kinesis and Firehose) for input errors.
 *
 * Sources: messages recorded against Kinesis in kinesalite's test suite (facts only), AWS-FACTS.md
 * §1 and §3, and ValidationException texts quoted from AWS in public issues. Where a text is not
 * verified it says so.
 */

export const RULE_NOT_NULL = 'Member must not be null';

export function lengthAtLeast(n: number): string { return `Member must have length greater than or equal to ${n}`; }
export function lengthAtMost(n: number): string { return `Member must have length less than or equal to ${n}`; }
export function valueAtLeast(n: number): string { return `Member must have value greater than or equal to ${n}`; }
export function valueAtMost(n: number): string { return `Member must have value less than or equal to ${n}`; }
export function matchesPattern(pattern: string): string { return `Member must satisfy regular expression pattern: ${pattern}`; }
export function inEnum(values: readonly string[]): string { return `Member must satisfy enum value set: [${values.join(', ')}]`; }

/**
 * A list of simple values is checked as a whole: AWS reports the list once, listing every rule of
 * its element shape, max before min (Kinesis TagKeys: `Member must satisfy constraint: [Member must
 * have length less than or equal to 128, Member must have length greater than or equal to 1]`;
 * ACM and Lambda messages add the pattern after the lengths). Map keys and values are reported the
 * same way as `Map keys must satisfy constraint: [...]` / `Map value must satisfy constraint: [...]`
 * (Kinesis Tags, min 0 included).
 */
export function elementRules(prefix: 'Member' | 'Map keys' | 'Map value', rules: readonly string[]): string {
  return `${prefix} must satisfy constraint: [${rules.join(', ')}]`;
}

export function validationMessage(items: readonly string[]): string {
  return `${items.length} validation error${items.length === 1 ? '' : 's'} detected: ${items.join('; ')}`;
}

export function validationItem(renderedValue: string, path: string, rule: string): string {
  return `Value ${renderedValue} at '${path}' failed to satisfy constraint: ${rule}`;
}

/**
 * Java type names as Coral writes them in "can not be converted to an X" (sic: "an" before every
 * recorded type but Blob). Timestamp's wording was not found recorded; "a Timestamp" is a guess.
 */
export type TargetType = 'String' | 'Integer' | 'Long' | 'Float' | 'Double' | 'Boolean' | 'Blob' | 'Timestamp';

function article(target: TargetType): string {
  return target === 'Blob' || target === 'Timestamp' ? 'a' : 'an';
}

/** A JSON value of the wrong kind for a scalar member (kinesalite's recorded texts). */
export const serializationText = {
  fromBoolean: (target: TargetType) => `class java.lang.Boolean can not be converted to ${article(target)} ${target}`,
  fromNumber: (target: TargetType) =>
    `class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to ${article(target)} ${target}`,
  fromString: (target: TargetType) => `class java.lang.String can not be converted to ${article(target)} ${target}`,
  /** Booleans accept a few strings; any other is echoed upper-cased. */
  stringToBoolean: (text: string) => `'${text.toUpperCase()}' can not be converted to an Boolean`,
  listStart: 'Start of list found where not expected',
  structureStart: 'Start of structure or map found where not expected.',
  expectedList: 'Expected list or null',
  expectedMap: 'Expected map or null',
  expectedStructure: 'Expected null',
  base64Length: (text: string) =>
    `'${text}' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: ${text.length}`,
  base64Character: (text: string, character: string) =>
    `'${text}' can not be converted to a Blob: Invalid Base64 character: '${character}'`,
  // "dectected" is AWS's spelling.
  base64LastCharacter: (text: string) => `'${text}' can not be converted to a Blob: Invalid last non-pad Base64 character dectected`,
} as const;

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function twoDigits(n: number): string { return n < 10 ? `0${n}` : String(n); }

/** java.util.Date#toString in UTC, e.g. `Thu Jan 22 01:22:02 UTC 2015` (the form AWS-FACTS §3 quotes). */
export function javaDateString(date: Date): string {
  return `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${twoDigits(date.getUTCDate())} ` +
    `${twoDigits(date.getUTCHours())}:${twoDigits(date.getUTCMinutes())}:${twoDigits(date.getUTCSeconds())} UTC ${date.getUTCFullYear()}`;
}

/** java.lang.Double#toString, e.g. `2.0`, `0.5`, `1.0E-4`, `1.0E7`. */
export function javaDoubleString(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    const plain = String(value);
    return plain.includes('.') ? plain : `${plain}.0`;
  }
  const [mantissa, exponent] = value.toExponential().split('e') as [string, string];
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exponent.startsWith('+') ? exponent.slice(1) : exponent}`;
}

/** java.nio.ByteBuffer#hashCode of a whole buffer. */
export function javaByteBufferHash(bytes: Uint8Array): number {
  let hash = 1;
  for (let i = bytes.length - 1; i >= 0; i--) hash = (Math.imul(31, hash) + ((bytes[i]! << 24) >> 24)) | 0;
  return hash;
}
