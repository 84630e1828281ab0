/**
 * Object keys of a channel's S3 destination: `StorageConfiguration.OutputKeyTemplate`, or AWS's
 * default template `DEFAULT_OUTPUT_KEY_TEMPLATE` *(AWS)*.
 *
 * Variables *(AWS)*: `!{channel-name}`, `!{channel-id}`, `!{stream-name}`, `!{yyyy}`, `!{yy}`,
 * `!{MM}`, `!{dd}`, `!{HH}`, `!{mm}` (UTC, at the arrival time of the object's oldest record, as
 * Firehose does) and `!{extension}` (the compression's: `.gz`, `.zst` or nothing).
 *
 * AWS appends a unique suffix to every key; Runnel's is `-<uuid>`, placed before the extension
 * when the key ends with it (so `.gz` stays the last part of the name), else at the very end.
 *
 * Rules for a template (Runnel's, after those AWS documents for MSK channel templates): at most
 * 1024 characters, at least one variable, only known variables, literal characters from
 * `[a-zA-Z0-9/_\-.+=]`, no `..` or `./`, neither starting nor ending with `/`, no empty path
 * segment (also when `!{extension}` is empty).
 */
import { InvalidArgumentException } from '../errors/kinesis.js';

export const DEFAULT_OUTPUT_KEY_TEMPLATE =
  'kinesis-channel/!{channel-name}/!{channel-id}/!{yyyy}/!{MM}/!{dd}/!{HH}/!{channel-name}-!{channel-id}-!{yyyy}-!{MM}-!{dd}-!{HH}-!{mm}!{extension}';
export const OUTPUT_KEY_TEMPLATE_CHARS_MAX = 1024;

const VARIABLES = ['channel-name', 'channel-id', 'stream-name', 'yyyy', 'yy', 'MM', 'dd', 'HH', 'mm', 'extension'] as const;
type Variable = (typeof VARIABLES)[number];
type TemplatePart = { readonly text: string } | { readonly variable: Variable };

const LITERAL = /^[a-zA-Z0-9/_\-.+=]*$/;

export interface KeyContext {
  readonly channelName: string;
  readonly channelId: string;
  readonly streamName: string;
}

function invalid(template: string, reason: string): InvalidArgumentException {
  return new InvalidArgumentException(`OutputKeyTemplate ${template} is invalid: ${reason}.`);
}

/** Parses a template, throwing InvalidArgumentException when it breaks a rule. */
export function parseOutputKeyTemplate(template: string): readonly TemplatePart[] {
  if (template.length > OUTPUT_KEY_TEMPLATE_CHARS_MAX) throw invalid(template, `it is longer than ${OUTPUT_KEY_TEMPLATE_CHARS_MAX} characters`);
  if (template.startsWith('/') || template.endsWith('/')) throw invalid(template, 'it must neither start nor end with /');
  if (template.includes('..') || template.includes('./')) throw invalid(template, 'it must not contain .. or ./');
  const parts: TemplatePart[] = [];
  let rest = template;
  while (rest.length > 0) {
    const start = rest.indexOf('!{');
    const text = start < 0 ? rest : rest.slice(0, start);
    if (!LITERAL.test(text)) throw invalid(template, 'characters outside !{...} must be letters, digits or / _ - . + =');
    if (text) parts.push({ text });
    if (start < 0) break;
    const end = rest.indexOf('}', start);
    if (end < 0) throw invalid(template, 'a !{ has no matching }');
    const name = rest.slice(start + 2, end);
    if (!(VARIABLES as readonly string[]).includes(name)) throw invalid(template, `!{${name}} is not a known variable`);
    parts.push({ variable: name as Variable });
    rest = rest.slice(end + 1);
  }
  if (!parts.some((part) => 'variable' in part)) throw invalid(template, 'it must contain at least one variable');
  // Only !{extension} can be empty: with it empty, no path segment may be (a file store cannot
  // hold such a key, and an S3 console shows it as a folder named nothing).
  const emptiest = evaluateOutputKey(parts, { channelName: 'c', channelId: 'i', streamName: 's' }, 0, '', 'u');
  if (emptiest.startsWith('/') || emptiest.includes('//')) throw invalid(template, 'no path segment may be empty');
  return parts;
}

/** ErrorOutputPrefix of the dead-letter queue (Runnel's rules: the structural ones of a template,
 * so every key under it can be stored as a file). */
export function checkErrorOutputPrefix(prefix: string): void {
  const reason = prefix.length > OUTPUT_KEY_TEMPLATE_CHARS_MAX ? `it is longer than ${OUTPUT_KEY_TEMPLATE_CHARS_MAX} characters`
    : prefix.startsWith('/') ? 'it must not start with /'
      : prefix.includes('..') || prefix.includes('./') ? 'it must not contain .. or ./'
        : prefix.includes('//') ? 'no path segment may be empty'
          : undefined;
  if (reason) throw new InvalidArgumentException(`ErrorOutputPrefix ${prefix} is invalid: ${reason}.`);
}

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}

/** The key of one object: the template evaluated at `instantMs`, with the unique suffix. */
export function evaluateOutputKey(parts: readonly TemplatePart[], context: KeyContext, instantMs: number, extension: string, uniqueSuffix: string): string {
  const at = new Date(instantMs);
  const values: Record<Variable, string> = {
    'channel-name': context.channelName,
    'channel-id': context.channelId,
    'stream-name': context.streamName,
    yyyy: String(at.getUTCFullYear()),
    yy: twoDigits(at.getUTCFullYear() % 100),
    MM: twoDigits(at.getUTCMonth() + 1),
    dd: twoDigits(at.getUTCDate()),
    HH: twoDigits(at.getUTCHours()),
    mm: twoDigits(at.getUTCMinutes()),
    extension,
  };
  const last = parts[parts.length - 1];
  const endsWithExtension = extension !== '' && last !== undefined && 'variable' in last && last.variable === 'extension';
  const body = (endsWithExtension ? parts.slice(0, -1) : parts).map((part) => ('text' in part ? part.text : values[part.variable])).join('');
  return endsWithExtension ? `${body}-${uniqueSuffix}${extension}` : `${body}-${uniqueSuffix}`;
}
