import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluatePolicy, isAccessAllowed, parsePolicy, wildcardMatch } from '../../src/policy/index.js';

const STREAM = 'arn:aws:kinesis:us-east-1:123456789012:stream/s';
const request = (principal: string, action = 'kinesis:PutRecord', account = '123456789012') => ({
  principalArn: principal,
  principalAccount: account,
  action,
  resourceArn: STREAM,
});

describe('policy evaluation', () => {
  const policy = parsePolicy(JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: '999999999999' }, Action: 'kinesis:Get*', Resource: STREAM },
      { Effect: 'Deny', Principal: '*', Action: 'kinesis:PutRecord', Resource: STREAM, Condition: { StringNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:user/writer' } } },
    ],
  }));

  it('an explicit Deny wins; conditions select the principals it applies to', () => {
    assert.equal(evaluatePolicy(policy, request('arn:aws:iam::123456789012:user/reader')), 'deny');
    assert.equal(evaluatePolicy(policy, request('arn:aws:iam::123456789012:user/writer')), 'implicit');
  });

  it('same-account callers need no Allow, other accounts do', () => {
    assert.equal(isAccessAllowed(policy, request('arn:aws:iam::123456789012:user/writer'), '123456789012'), true);
    assert.equal(isAccessAllowed(policy, request('arn:aws:iam::999999999999:user/x', 'kinesis:GetRecords', '999999999999'), '123456789012'), true);
    assert.equal(isAccessAllowed(policy, request('arn:aws:iam::888888888888:user/x', 'kinesis:GetRecords', '888888888888'), '123456789012'), false);
    assert.equal(isAccessAllowed(undefined, request('arn:aws:iam::123456789012:user/any'), '123456789012'), true);
  });

  it('supports NotAction and NotPrincipal', () => {
    const notAction = parsePolicy(JSON.stringify({ Statement: { Effect: 'Deny', NotPrincipal: { AWS: 'arn:aws:iam::123456789012:user/admin' }, NotAction: 'kinesis:Describe*' } }));
    assert.equal(evaluatePolicy(notAction, request('arn:aws:iam::123456789012:user/bob')), 'deny');
    assert.equal(evaluatePolicy(notAction, request('arn:aws:iam::123456789012:user/bob', 'kinesis:DescribeStream')), 'implicit');
    assert.equal(evaluatePolicy(notAction, request('arn:aws:iam::123456789012:user/admin')), 'implicit');
  });

  it('matches IAM wildcards', () => {
    assert.equal(wildcardMatch('kinesis:get*', 'kinesis:GetRecords', true), true);
    assert.equal(wildcardMatch('arn:aws:kinesis:*:*:stream/s?', 'arn:aws:kinesis:us-east-1:1:stream/s1', false), true);
    assert.equal(wildcardMatch('arn:aws:kinesis:*:*:stream/s.', 'arn:aws:kinesis:us-east-1:1:stream/sx', false), false);
  });

  it('rejects duplicate Sids and unsupported condition operators', () => {
    assert.throws(() => parsePolicy(JSON.stringify({ Statement: [{ Sid: 'a', Effect: 'Allow', Principal: '*', Action: '*' }, { Sid: 'a', Effect: 'Allow', Principal: '*', Action: '*' }] })), { name: 'InvalidArgumentException' });
    assert.throws(() => parsePolicy(JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Condition: { DateGreaterThan: { 'aws:CurrentTime': 'x' } } }] })), {
      message: 'Invalid policy document: statement 1: unsupported condition operator DateGreaterThan',
    });
  });
});
