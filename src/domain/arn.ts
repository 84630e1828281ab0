/** Stream ARNs: `arn:aws:kinesis:<region>:<account>:stream/<name>`. */
export function streamArn(region: string, accountId: string, streamName: string): string {
  return `arn:aws:kinesis:${region}:${accountId}:stream/${streamName}`;
}

export interface ParsedStreamArn {
  readonly region: string;
  readonly accountId: string;
  readonly streamName: string;
}

const STREAM_ARN = /^arn:aws[^:]*:kinesis:([^:]*):(\d{12}):stream\/([a-zA-Z0-9_.-]{1,128})$/;

export function parseStreamArn(arn: string): ParsedStreamArn | undefined {
  const match = STREAM_ARN.exec(arn);
  if (!match) return undefined;
  return { region: match[1]!, accountId: match[2]!, streamName: match[3]! };
}
