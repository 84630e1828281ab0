/** Consumer ARNs: `<stream ARN>/consumer/<consumer name>:<creation epoch seconds>`. */
export function consumerArn(streamArn: string, consumerName: string, createdAtMs: number): string {
  return `${streamArn}/consumer/${consumerName}:${Math.floor(createdAtMs / 1000)}`;
}

export interface ParsedConsumerArn {
  readonly region: string;
  readonly accountId: string;
  readonly streamName: string;
  readonly consumerName: string;
  readonly createdSec: number;
}

const CONSUMER_ARN = /^arn:aws[^:]*:kinesis:([^:]*):(\d{12}):stream\/([a-zA-Z0-9_.-]{1,128})\/consumer\/([a-zA-Z0-9_.-]{1,128}):(\d{1,15})$/;

export function parseConsumerArn(arn: string): ParsedConsumerArn | undefined {
  const match = CONSUMER_ARN.exec(arn);
  if (!match) return undefined;
  return { region: match[1]!, accountId: match[2]!, streamName: match[3]!, consumerName: match[4]!, createdSec: Number(match[5]) };
}
