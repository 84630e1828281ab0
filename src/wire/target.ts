/** `X-Amz-Target: <Prefix>.<Operation>`, e.g. `Kinesis_20131202.PutRecord`. */
export interface Target {
  readonly prefix: string;
  readonly operation: string;
}

export function parseTarget(header: string | undefined): Target | undefined {
  if (!header) return undefined;
  const dot = header.indexOf('.');
  if (dot <= 0 || dot === header.length - 1) return undefined;
  return { prefix: header.slice(0, dot), operation: header.slice(dot + 1) };
}
