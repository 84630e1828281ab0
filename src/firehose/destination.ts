/**
 * Destination configurations: what CreateDeliveryStream and UpdateDestination accept, how they
 * are stored (AWS's own member names, defaults filled in), and how DescribeDeliveryStream shows
 * them.
 *
 * Runnel delivers to S3 (`S3DestinationConfiguration`, `ExtendedS3DestinationConfiguration`) and
 * to HTTP endpoints. The other destination types are refused as not supported, as are processors
 * and features whose output Runnel cannot produce yet (a Lambda transform, dynamic partitioning,
 * format conversion): accepting them and delivering something else would be worse.
 */
import { InvalidArgumentException } from '../errors/firehose.js';
import type { CompressionFormat } from './compression.js';
import { evaluateErrorPrefix, evaluatePrefix, parsePrefix, parseTimeZone, validatePrefixes, type ErrorOutputType } from './object-key.js';

export interface BufferingHints {
  SizeInMBs: number;
  IntervalInSeconds: number;
}

export interface ProcessingConfiguration {
  Enabled?: boolean;
  Processors?: Array<{ Type: string; Parameters?: Array<{ ParameterName: string; ParameterValue: string }> }>;
}

/** ExtendedS3DestinationDescription, the stored form of both S3 destination shapes. */
export interface S3Settings {
  RoleARN: string;
  BucketARN: string;
  Prefix?: string;
  ErrorOutputPrefix?: string;
  BufferingHints: BufferingHints;
  CompressionFormat: CompressionFormat;
  EncryptionConfiguration: Record<string, unknown>;
  CloudWatchLoggingOptions: Record<string, unknown>;
  ProcessingConfiguration?: ProcessingConfiguration;
  S3BackupMode: 'Disabled' | 'Enabled';
  S3BackupDescription?: PlainS3Settings;
  DataFormatConversionConfiguration?: Record<string, unknown>;
  DynamicPartitioningConfiguration?: Record<string, unknown>;
  FileExtension?: string;
  CustomTimeZone?: string;
}

/** S3DestinationDescription: the members the deprecated S3 shape and backups carry. */
export type PlainS3Settings = Pick<S3Settings, 'RoleARN' | 'BucketARN' | 'Prefix' | 'ErrorOutputPrefix' | 'BufferingHints' | 'CompressionFormat' | 'EncryptionConfiguration' | 'CloudWatchLoggingOptions'>;

export interface HttpEndpointSettings {
  EndpointConfiguration: { Url: string; Name?: string; AccessKey?: string };
  BufferingHints: BufferingHints;
  CloudWatchLoggingOptions: Record<string, unknown>;
  RequestConfiguration: { ContentEncoding: 'NONE' | 'GZIP'; CommonAttributes?: Array<{ AttributeName: string; AttributeValue: string }> };
  ProcessingConfiguration?: ProcessingConfiguration;
  RoleARN?: string;
  RetryOptions: { DurationInSeconds: number };
  S3BackupMode: 'FailedDataOnly' | 'AllData';
  S3Configuration: PlainS3Settings;
  SecretsManagerConfiguration?: Record<string, unknown>;
}

export type StoredDestination =
  /** Both S3 shapes: the deprecated one is a subset of the extended one. */
  | { readonly kind: 'S3'; readonly settings: S3Settings }
  | { readonly kind: 'HttpEndpoint'; readonly settings: HttpEndpointSettings };

export const DESTINATION_ID = 'destinationId-000000000001';

const S3_DEFAULT_HINTS: BufferingHints = { SizeInMBs: 5, IntervalInSeconds: 300 };
const HTTP_DEFAULT_HINTS: BufferingHints = { SizeInMBs: 5, IntervalInSeconds: 300 };
const HTTP_DEFAULT_RETRY_SECONDS = 300;

const DESTINATION_MEMBERS = [
  'S3DestinationConfiguration',
  'ExtendedS3DestinationConfiguration',
  'RedshiftDestinationConfiguration',
  'ElasticsearchDestinationConfiguration',
  'AmazonopensearchserviceDestinationConfiguration',
  'SplunkDestinationConfiguration',
  'HttpEndpointDestinationConfiguration',
  'AmazonOpenSearchServerlessDestinationConfiguration',
  'SnowflakeDestinationConfiguration',
  'IcebergDestinationConfiguration',
] as const;

const UPDATE_MEMBERS = [
  'S3DestinationUpdate',
  'ExtendedS3DestinationUpdate',
  'RedshiftDestinationUpdate',
  'ElasticsearchDestinationUpdate',
  'AmazonopensearchserviceDestinationUpdate',
  'SplunkDestinationUpdate',
  'HttpEndpointDestinationUpdate',
  'AmazonOpenSearchServerlessDestinationUpdate',
  'SnowflakeDestinationUpdate',
  'IcebergDestinationUpdate',
] as const;

type Json = Record<string, any>;

function notSupported(what: string): InvalidArgumentException {
  return new InvalidArgumentException(`${what} is not supported by Runnel.`);
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function bufferingHints(given: Json | undefined, defaults: BufferingHints): BufferingHints {
  if (!given || (given.SizeInMBs === undefined && given.IntervalInSeconds === undefined)) return { ...defaults };
  if (given.SizeInMBs === undefined || given.IntervalInSeconds === undefined) {
    throw new InvalidArgumentException('BufferingHints must specify both SizeInMBs and IntervalInSeconds, or neither.');
  }
  return { SizeInMBs: given.SizeInMBs, IntervalInSeconds: given.IntervalInSeconds };
}

function checkProcessing(config: ProcessingConfiguration | undefined): void {
  if (config?.Enabled !== true) return;
  for (const processor of config.Processors ?? []) {
    if (processor.Type !== 'AppendDelimiterToRecord') throw notSupported(`The ${processor.Type} processor`);
  }
}

function plainS3(given: Json | undefined): PlainS3Settings {
  const settings = plainS3FieldsUnchecked(given);
  validatePrefixes(settings.Prefix, settings.ErrorOutputPrefix, parseTimeZone(undefined));
  return settings;
}

function extendedS3(given: Json): S3Settings {
  const settings: S3Settings = withoutUndefined({
    ...plainS3FieldsUnchecked(given, 'ExtendedS3DestinationUpdate'),
    ProcessingConfiguration: given.ProcessingConfiguration,
    S3BackupMode: given.S3BackupMode ?? 'Disabled',
    S3BackupDescription: given.S3BackupConfiguration ? plainS3(given.S3BackupConfiguration) : undefined,
    DataFormatConversionConfiguration: given.DataFormatConversionConfiguration,
    DynamicPartitioningConfiguration: given.DynamicPartitioningConfiguration,
    FileExtension: given.FileExtension || undefined,
    CustomTimeZone: given.CustomTimeZone || undefined,
  });
  checkS3Settings(settings);
  return settings;
}

/** Members the model requires on a create but an UpdateDestination that switches the
 * destination type may leave out. */
function requireMembers(given: Json | undefined, shape: string, members: readonly string[]): Json {
  for (const member of members) {
    if (given?.[member] === undefined) {
      throw new InvalidArgumentException(`${shape}.${member} must be specified when the destination type changes.`);
    }
  }
  return given!;
}

function plainS3FieldsUnchecked(given: Json | undefined, shape = 'S3Configuration'): PlainS3Settings {
  requireMembers(given, shape, ['RoleARN', 'BucketARN']);
  given = given!;
  return withoutUndefined({
    RoleARN: given.RoleARN,
    BucketARN: given.BucketARN,
    Prefix: given.Prefix,
    ErrorOutputPrefix: given.ErrorOutputPrefix,
    BufferingHints: bufferingHints(given.BufferingHints, S3_DEFAULT_HINTS),
    CompressionFormat: given.CompressionFormat ?? 'UNCOMPRESSED',
    EncryptionConfiguration: given.EncryptionConfiguration ?? { NoEncryptionConfig: 'NoEncryption' },
    CloudWatchLoggingOptions: given.CloudWatchLoggingOptions ?? { Enabled: false },
  });
}

function checkS3Settings(settings: S3Settings): void {
  const zone = parseTimeZone(settings.CustomTimeZone);
  validatePrefixes(settings.Prefix, settings.ErrorOutputPrefix, zone);
  checkProcessing(settings.ProcessingConfiguration);
  if (settings.DynamicPartitioningConfiguration?.Enabled === true) throw notSupported('Dynamic partitioning');
  if (settings.DataFormatConversionConfiguration && settings.DataFormatConversionConfiguration.Enabled !== false) {
    throw notSupported('Data format conversion');
  }
  if (settings.S3BackupMode === 'Enabled' && !settings.S3BackupDescription) {
    throw new InvalidArgumentException('S3BackupConfiguration must be specified when S3BackupMode is Enabled.');
  }
}

function httpEndpoint(given: Json): HttpEndpointSettings {
  requireMembers(given, 'HttpEndpointDestinationConfiguration', ['EndpointConfiguration', 'S3Configuration']);
  requireMembers(given.EndpointConfiguration, 'EndpointConfiguration', ['Url']);
  const settings: HttpEndpointSettings = withoutUndefined({
    EndpointConfiguration: withoutUndefined({ ...given.EndpointConfiguration }),
    BufferingHints: bufferingHints(given.BufferingHints, HTTP_DEFAULT_HINTS),
    CloudWatchLoggingOptions: given.CloudWatchLoggingOptions ?? { Enabled: false },
    RequestConfiguration: withoutUndefined({
      ContentEncoding: given.RequestConfiguration?.ContentEncoding ?? 'NONE',
      CommonAttributes: given.RequestConfiguration?.CommonAttributes,
    }),
    ProcessingConfiguration: given.ProcessingConfiguration,
    RoleARN: given.RoleARN,
    RetryOptions: { DurationInSeconds: given.RetryOptions?.DurationInSeconds ?? HTTP_DEFAULT_RETRY_SECONDS },
    S3BackupMode: given.S3BackupMode ?? 'FailedDataOnly',
    S3Configuration: plainS3(given.S3Configuration),
    SecretsManagerConfiguration: given.SecretsManagerConfiguration,
  });
  checkHttpSettings(settings);
  return settings;
}

function checkHttpSettings(settings: HttpEndpointSettings): void {
  checkProcessing(settings.ProcessingConfiguration);
  if (settings.SecretsManagerConfiguration?.Enabled === true) throw notSupported('SecretsManagerConfiguration');
  if (!/^https?:\/\//.test(settings.EndpointConfiguration.Url)) {
    throw new InvalidArgumentException('The HTTP endpoint URL must start with https:// (Runnel also accepts http://).');
  }
}

/** Picks the one destination of a CreateDeliveryStream input. */
export function destinationFromCreate(input: Json): StoredDestination {
  const given = DESTINATION_MEMBERS.filter((member) => input[member] !== undefined);
  if (given.length !== 1) throw new InvalidArgumentException('Exactly one destination configuration is supported for a Firehose');
  const member = given[0]!;
  switch (member) {
    case 'S3DestinationConfiguration':
    case 'ExtendedS3DestinationConfiguration':
      return { kind: 'S3', settings: extendedS3(input[member]) };
    case 'HttpEndpointDestinationConfiguration':
      return { kind: 'HttpEndpoint', settings: httpEndpoint(input[member]) };
    default:
      throw notSupported(`The ${member.replace(/Configuration$/, '')}`);
  }
}

function merge<T extends object>(current: T, update: Json): T {
  const out: Json = { ...current };
  for (const [key, value] of Object.entries(update)) {
    if (value === undefined) continue;
    const existing = out[key];
    out[key] = isPlainObject(value) && isPlainObject(existing) ? merge(existing, value) : value;
  }
  return out as T;
}

function isPlainObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value) && !(value instanceof Date);
}

/**
 * Applies the one *DestinationUpdate of an UpdateDestination input: an update of the same kind is
 * merged member by member into the stored settings; an update of another kind replaces the
 * destination and must then be complete.
 */
export function destinationFromUpdate(current: StoredDestination, input: Json): StoredDestination {
  const given = UPDATE_MEMBERS.filter((member) => input[member] !== undefined);
  if (given.length !== 1) throw new InvalidArgumentException('Exactly one destination configuration is supported for a Firehose');
  const member = given[0]!;
  const update: Json = input[member];
  switch (member) {
    case 'S3DestinationUpdate':
    case 'ExtendedS3DestinationUpdate': {
      const { S3BackupUpdate, ...rest } = update;
      if (current.kind !== 'S3') {
        return destinationFromCreate({ [member === 'S3DestinationUpdate' ? 'S3DestinationConfiguration' : 'ExtendedS3DestinationConfiguration']: { ...rest, S3BackupConfiguration: S3BackupUpdate } });
      }
      if (current.settings.S3BackupMode === 'Enabled' && rest.S3BackupMode === 'Disabled') {
        // AWS: "If backup is enabled, you can't update the Firehose stream to disable it."
        throw new InvalidArgumentException('S3BackupMode cannot be changed from Enabled to Disabled: source record backup cannot be disabled once enabled.');
      }
      const merged = merge(current.settings, rest);
      if (rest.BufferingHints) merged.BufferingHints = bufferingHints({ ...current.settings.BufferingHints, ...rest.BufferingHints }, S3_DEFAULT_HINTS);
      if (S3BackupUpdate) merged.S3BackupDescription = plainS3(merge(current.settings.S3BackupDescription ?? ({} as PlainS3Settings), S3BackupUpdate));
      const settings = withoutUndefined({ ...merged, FileExtension: merged.FileExtension || undefined, CustomTimeZone: merged.CustomTimeZone || undefined });
      checkS3Settings(settings);
      return { kind: 'S3', settings };
    }
    case 'HttpEndpointDestinationUpdate': {
      const { S3Update, ...rest } = update;
      if (current.kind !== 'HttpEndpoint') {
        return destinationFromCreate({ HttpEndpointDestinationConfiguration: { ...rest, S3Configuration: S3Update } });
      }
      const merged = merge(current.settings, rest);
      if (S3Update) merged.S3Configuration = plainS3(merge(current.settings.S3Configuration, S3Update));
      checkHttpSettings(merged);
      return { kind: 'HttpEndpoint', settings: merged };
    }
    default:
      throw notSupported(`The ${member.replace(/Update$/, '')}`);
  }
}

function plainDescription(settings: PlainS3Settings): PlainS3Settings {
  return withoutUndefined({
    RoleARN: settings.RoleARN,
    BucketARN: settings.BucketARN,
    Prefix: settings.Prefix,
    ErrorOutputPrefix: settings.ErrorOutputPrefix,
    BufferingHints: settings.BufferingHints,
    CompressionFormat: settings.CompressionFormat,
    EncryptionConfiguration: settings.EncryptionConfiguration,
    CloudWatchLoggingOptions: settings.CloudWatchLoggingOptions,
  });
}

/** The DestinationDescription member(s) for DescribeDeliveryStream. An S3 destination is shown
 * in both the deprecated and the extended shape, as AWS does. */
export function describeDestination(destination: StoredDestination): Record<string, unknown> {
  if (destination.kind === 'S3') {
    return {
      DestinationId: DESTINATION_ID,
      S3DestinationDescription: plainDescription(destination.settings),
      ExtendedS3DestinationDescription: destination.settings,
    };
  }
  const { EndpointConfiguration, S3Configuration, ...rest } = destination.settings;
  return {
    DestinationId: DESTINATION_ID,
    HttpEndpointDestinationDescription: {
      ...rest,
      EndpointConfiguration: withoutUndefined({ Url: EndpointConfiguration.Url, Name: EndpointConfiguration.Name }),
      S3DestinationDescription: plainDescription(S3Configuration),
    },
  };
}

export function bucketNameFromArn(bucketArn: string): string {
  return bucketArn.slice(bucketArn.indexOf(':::') + 3);
}

/** Whether records get a newline appended (the AppendDelimiterToRecord processor). */
export function appendsDelimiter(processing: ProcessingConfiguration | undefined): boolean {
  if (processing?.Enabled !== true) return false;
  return (processing.Processors ?? []).some((processor) => processor.Type === 'AppendDelimiterToRecord');
}

/** One S3 location of a destination with the key prefix it evaluates to at a sample instant. */
export interface SamplePrefix {
  /** Where the prefix is configured: `Prefix`, `ErrorOutputPrefix`, `S3BackupConfiguration.Prefix`, ... */
  readonly member: string;
  readonly configured: string;
  readonly evaluated: string;
}

const SAMPLE_INSTANT_MS = Date.UTC(2026, 0, 2, 3, 4, 5);

function samplesOf(shape: string | undefined, settings: PlainS3Settings & Partial<S3Settings>, errorType: ErrorOutputType | undefined): SamplePrefix[] {
  const zone = parseTimeZone(settings.CustomTimeZone);
  const pair = {
    prefix: parsePrefix(settings.Prefix ?? ''),
    errorOutputPrefix: settings.ErrorOutputPrefix ? parsePrefix(settings.ErrorOutputPrefix) : undefined,
  };
  const member = (name: string) => (shape ? `${shape}.${name}` : name);
  const samples: SamplePrefix[] = [{ member: member('Prefix'), configured: settings.Prefix ?? '', evaluated: evaluatePrefix(pair.prefix, SAMPLE_INSTANT_MS, zone) }];
  if (errorType) {
    samples.push({
      member: member(settings.ErrorOutputPrefix ? 'ErrorOutputPrefix' : 'Prefix'),
      configured: settings.ErrorOutputPrefix ?? settings.Prefix ?? '',
      evaluated: evaluateErrorPrefix(pair, errorType, SAMPLE_INSTANT_MS, zone),
    });
  }
  return samples;
}

/** Every key prefix the destination may write objects under (data, error output, backup),
 * evaluated at one sample instant, so an object store can say up front whether it can hold them. */
export function samplePrefixes(destination: StoredDestination): SamplePrefix[] {
  if (destination.kind === 'S3') {
    const { settings } = destination;
    return [
      ...samplesOf(undefined, settings, 'processing-failed'),
      ...(settings.S3BackupDescription ? samplesOf('S3BackupConfiguration', settings.S3BackupDescription, undefined) : []),
    ];
  }
  return samplesOf('S3Configuration', destination.settings.S3Configuration, 'http-endpoint-failed');
}
