/**
 * `runnel firehose status NAME`: asks a running server for a delivery stream's description and
 * prints its status and Runnel's delivery figures (RunnelDeliveryStatus: counters, data
 * freshness, last error), which AWS SDKs drop as an unknown member.
 */
import { EXIT_USAGE, type CliCommand, type CliIo } from './command.js';

const DEFAULT_ENDPOINT = 'http://127.0.0.1:4567';

interface Options {
  name: string;
  endpoint: string;
  region: string;
  json: boolean;
}

function parseArgs(args: readonly string[], env: NodeJS.ProcessEnv): Options | string {
  const options: Partial<Options> = { endpoint: env.RUNNEL_ENDPOINT ?? DEFAULT_ENDPOINT, region: env.AWS_REGION ?? 'us-east-1', json: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--json') options.json = true;
    else if (arg === '--endpoint' || arg === '--region') {
      const value = args[++i];
      if (value === undefined) return `${arg} needs a value`;
      if (arg === '--endpoint') options.endpoint = value;
      else options.region = value;
    } else if (arg.startsWith('--')) return `unknown option '${arg}'`;
    else if (options.name === undefined) options.name = arg;
    else return `unexpected argument '${arg}'`;
  }
  if (options.name === undefined) return 'the delivery stream name is missing';
  return options as Options;
}

async function describe(options: Options, env: NodeJS.ProcessEnv): Promise<{ status: number; body: any }> {
  const url = new URL(options.endpoint);
  // Loaded here, not at the top: every command, `serve` included, imports this module.
  const [{ SignatureV4 }, { Hash }] = await Promise.all([import('@smithy/signature-v4'), import('@smithy/hash-node')]);
  const signer = new SignatureV4({
    service: 'firehose',
    region: options.region,
    sha256: Hash.bind(null, 'sha256'),
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID ?? 'runnel', secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? 'runnel' },
  });
  const body = JSON.stringify({ DeliveryStreamName: options.name });
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: '/',
    headers: {
      host: url.host,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'Firehose_20150804.DescribeDeliveryStream',
    },
    body,
  });
  const response = await fetch(new URL('/', url), { method: 'POST', headers: signed.headers as Record<string, string>, body });
  return { status: response.status, body: await response.json() };
}

function bytes(value: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

function time(epochSeconds: number | undefined): string {
  return epochSeconds === undefined ? '-' : new Date(epochSeconds * 1000).toISOString();
}

function destinationLine(destination: any): string {
  if (destination?.ExtendedS3DestinationDescription) {
    const s3 = destination.ExtendedS3DestinationDescription;
    return `S3 ${s3.BucketARN} prefix '${s3.Prefix ?? ''}', ${s3.BufferingHints.SizeInMBs} MB / ${s3.BufferingHints.IntervalInSeconds} s, ${s3.CompressionFormat}`;
  }
  if (destination?.HttpEndpointDestinationDescription) {
    const http = destination.HttpEndpointDestinationDescription;
    return `HTTP endpoint ${http.EndpointConfiguration.Url}, ${http.BufferingHints.SizeInMBs} MB / ${http.BufferingHints.IntervalInSeconds} s, retry ${http.RetryOptions.DurationInSeconds} s`;
  }
  return '-';
}

export function formatStatus(description: any): string {
  const status = description.RunnelDeliveryStatus ?? {};
  const rows: Array<[string, string]> = [
    ['Delivery stream', `${description.DeliveryStreamName} (${description.DeliveryStreamStatus}, ${description.DeliveryStreamType}, version ${description.VersionId})`],
    ['Destination', destinationLine(description.Destinations?.[0])],
    ['Objects go to', status.ObjectStore ?? '-'],
    ['Incoming', `${status.IncomingRecords ?? 0} records, ${bytes(status.IncomingBytes ?? 0)}`],
    ['Delivered', `${status.DeliveredRecords ?? 0} records, ${bytes(status.DeliveredBytes ?? 0)}, ${status.DeliveredObjects ?? 0} objects/requests`],
    ['Data freshness', `${(status.DataFreshnessSeconds ?? 0).toFixed(1)} s (age of the oldest undelivered record)`],
    ['Failures', `${status.DeliveryFailures ?? 0} failed attempts, ${status.FailedRecords ?? 0} records to the error output or backup`],
    ['Last delivery', time(status.LastDeliveryTimestamp)],
    ['Last error', status.LastError ? `${time(status.LastError.Timestamp)} ${status.LastError.Message}` : '-'],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n') + '\n';
}

export const firehoseStatusCommand: CliCommand = {
  name: 'firehose status',
  summary: 'Show a Firehose delivery stream\'s status, delivery lag and last error.',
  help: () =>
    [
      'Usage: runnel firehose status NAME [--endpoint URL] [--region REGION] [--json]',
      '',
      'Asks a running Runnel server (DescribeDeliveryStream) for the delivery stream NAME and',
      'prints its status, destination, record and byte counters, data freshness and last error.',
      '',
      'Options:',
      `  --endpoint URL   Server to ask [RUNNEL_ENDPOINT] (default ${DEFAULT_ENDPOINT}).`,
      '  --region REGION  Region to sign for [AWS_REGION] (default us-east-1).',
      '  --json           Print the DeliveryStreamDescription as JSON.',
      '  --help           Show this help.',
      '',
      'Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY when the server checks them.',
    ].join('\n'),
  async run(args, io: CliIo) {
    const options = parseArgs(args, io.env);
    if (typeof options === 'string') {
      io.stderr(`runnel firehose status: ${options}\nRun 'runnel firehose status --help' for the options.\n`);
      return EXIT_USAGE;
    }
    let answer;
    try {
      answer = await describe(options, io.env);
    } catch (err) {
      io.stderr(`runnel firehose status: cannot reach ${options.endpoint}: ${(err as Error).message}\n`);
      return 1;
    }
    if (answer.status !== 200) {
      io.stderr(`runnel firehose status: ${String(answer.body?.__type ?? answer.status).replace(/^.*#/, '')}: ${answer.body?.message ?? ''}\n`);
      return 1;
    }
    const description = answer.body.DeliveryStreamDescription;
    io.stdout(options.json ? JSON.stringify(description, null, 2) + '\n' : formatStatus(description));
    return 0;
  },
};
