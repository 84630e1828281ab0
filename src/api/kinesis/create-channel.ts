import { parseStreamArn } from '../../domain/arn.js';
import { InvalidArgumentException } from '../../errors/kinesis.js';
import { KINESIS_MANAGED_ALIAS } from '../../encryption/index.js';
import { streamNotFound } from '../../streams/messages.js';
import type { ChannelStreamConfig } from '../../channels/channel-store.js';
import { channelDescription } from '../../channels/describe.js';
import { checkErrorOutputPrefix, parseOutputKeyTemplate } from '../../channels/object-key.js';
import type { KinesisOperation } from './deps.js';

interface RecordConfiguration { RecordFormatType: string; GSRSchemaARN?: string }

interface CreateChannelInput {
  ChannelName: string;
  ServiceExecutionRoleARN: string;
  StreamConfigurationList: { StreamARN: string; RecordConfiguration: RecordConfiguration }[];
  S3DestinationConfiguration?: {
    DataFreshnessInSeconds?: number;
    StorageConfiguration: { OutputKeyTemplate?: string };
    DeadLetterQueueS3Configuration?: { ErrorOutputPrefix?: string };
    [member: string]: unknown;
  };
  S3TablesDestinationConfiguration?: { DataFreshnessInSeconds?: number; S3TablesConfigurationList: unknown[]; [member: string]: unknown };
  EncryptionConfiguration?: { EncryptionType: 'KMS'; KeyId: string };
  Tags?: Record<string, string>;
  LoggingConfiguration?: Record<string, unknown>;
}

const CHANNEL_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/;
/** Runnel's default when the request leaves DataFreshnessInSeconds out. */
export const dataFreshnessSecondsDefault = 300;
/** Record formats each destination accepts (AWS docs of RecordConfiguration). */
const FORMATS: Readonly<Record<'S3' | 'S3_TABLES', readonly string[]>> = {
  S3: ['JSON', 'STRING', 'BYTE_ARRAY'],
  S3_TABLES: ['JSON', 'GSR_JSON'],
};

/** Creates a channel; once stored, its delivery starts reading the stream at LATEST
 * (src/channels/delivery.ts). S3 Tables destinations pass validation and are then refused. */
export const createChannel: KinesisOperation = ({ streams, controlPlane }) => async (input: CreateChannelInput) => {
  if (!CHANNEL_NAME.test(input.ChannelName)) {
    throw new InvalidArgumentException(`ChannelName ${input.ChannelName} is invalid. It must be 1 to 128 characters of [a-zA-Z0-9_.-].`);
  }
  if (!ROLE_ARN.test(input.ServiceExecutionRoleARN)) {
    throw new InvalidArgumentException(`ServiceExecutionRoleARN ${input.ServiceExecutionRoleARN} is not a valid IAM role ARN.`);
  }
  const s3 = input.S3DestinationConfiguration;
  const tables = input.S3TablesDestinationConfiguration;
  if ((s3 === undefined) === (tables === undefined)) {
    throw new InvalidArgumentException('Exactly one of S3DestinationConfiguration and S3TablesDestinationConfiguration must be specified.');
  }
  const destinationType = s3 !== undefined ? 'S3' : 'S3_TABLES';
  if (tables !== undefined && tables.S3TablesConfigurationList.length === 0) {
    throw new InvalidArgumentException('S3TablesConfigurationList must name at least one table.');
  }
  if (input.StreamConfigurationList.length === 0) throw new InvalidArgumentException('StreamConfigurationList must name at least one stream.');
  const streamConfigs: ChannelStreamConfig[] = input.StreamConfigurationList.map((config) => {
    const parsed = parseStreamArn(config.StreamARN);
    if (parsed === undefined) throw new InvalidArgumentException(`StreamARN ${config.StreamARN} is invalid.`);
    const stream = streams.get(parsed.streamName);
    if (stream === undefined || parsed.accountId !== streams.accountId || parsed.region !== streams.region) {
      throw streamNotFound(parsed.streamName, parsed.accountId);
    }
    const format = config.RecordConfiguration.RecordFormatType;
    if (!FORMATS[destinationType].includes(format)) {
      throw new InvalidArgumentException(`RecordFormatType ${format} is not supported for ${destinationType} destinations.`);
    }
    return { streamArn: stream.arn, streamCreatedAtMs: stream.meta.createdAtMs, recordConfiguration: { ...config.RecordConfiguration } };
  });
  if (input.EncryptionConfiguration !== undefined) {
    const keyArn = controlPlane.keyRing.resolve(input.EncryptionConfiguration.KeyId);
    if (keyArn.endsWith(`:${KINESIS_MANAGED_ALIAS}`)) {
      throw new InvalidArgumentException('Channels need a customer managed KMS key; the Kinesis service key aws/kinesis cannot be used.');
    }
  }
  if (s3?.StorageConfiguration.OutputKeyTemplate !== undefined) parseOutputKeyTemplate(s3.StorageConfiguration.OutputKeyTemplate);
  if (s3?.DeadLetterQueueS3Configuration?.ErrorOutputPrefix !== undefined) checkErrorOutputPrefix(s3.DeadLetterQueueS3Configuration.ErrorOutputPrefix);
  if (tables !== undefined) {
    throw new InvalidArgumentException('S3TablesDestinationConfiguration is not supported by Runnel: it has no S3 Tables (Apache Iceberg) store to deliver to. Use S3DestinationConfiguration.');
  }
  const destination = { ...s3!, DataFreshnessInSeconds: s3!.DataFreshnessInSeconds ?? dataFreshnessSecondsDefault };
  const channel = await controlPlane.channels.create({
    name: input.ChannelName,
    serviceExecutionRoleArn: input.ServiceExecutionRoleARN,
    streams: streamConfigs,
    destinationType,
    destination,
    ...(input.EncryptionConfiguration !== undefined ? { encryption: { ...input.EncryptionConfiguration } } : {}),
    logging: input.LoggingConfiguration ?? { CloudWatchLogs: { Enabled: false } },
    tags: { ...input.Tags },
  });
  return { ChannelDescription: channelDescription(controlPlane.channels, channel) };
};
