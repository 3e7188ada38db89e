// Cross-check of our SigV4 signer against botocore's: each request below is described once, signed
// by sigv4-sign (ours, SIGV4_SIGN) and by botocore_sign.py (botocore.auth.SigV4Auth, run with
// BOTOCORE_PYTHON), and the two Authorization headers must be identical. The requests are the
// ones our adapters make (API Gateway's @connections, DynamoDB) and the corners where signers go
// wrong (query encoding and order, header whitespace, path normalization, S3's single encoding).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(HERE, '../..');
const OURS = process.env.SIGV4_SIGN ?? path.join(REPO_ROOT, 'build/native/tests/sigv4-sign');
const PYTHON = process.env.BOTOCORE_PYTHON ?? '/usr/bin/python3';
const BOTOCORE = path.join(HERE, 'botocore_sign.py');

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=[^,]+, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/;

// Runs one signer; a signer that fails or prints something else than an Authorization value fails
// the test, so two broken signers can never agree.
function run(command, args, spec) {
  const result = spawnSync(command, args, {input: JSON.stringify(spec), encoding: 'utf8', timeout: 20000});
  if (result.error) throw result.error;
  assert.equal(result.status, 0, `${command} exited ${result.status}: ${result.stderr}`);
  const authorization = result.stdout.trimEnd();
  assert.match(authorization, AUTHORIZATION, `${command} printed ${JSON.stringify(result.stdout)}`);
  return authorization;
}

const ours = (spec) => run(OURS, [], spec);
const botocore = (spec) => run(PYTHON, [BOTOCORE], spec);

// On a mismatch, both canonical requests: the first line that differs is the bug.
function verbose(command, args, spec) {
  const result = spawnSync(command, [...args, '--verbose'], {input: JSON.stringify(spec), encoding: 'utf8', timeout: 20000});
  return result.stderr;
}

function assertSameAsBotocore(spec) {
  const expected = botocore(spec);
  const actual = ours(spec);
  if (actual !== expected) {
    assert.fail(`sigv4-sign and botocore disagree\n  ours:     ${actual}\n  botocore: ${expected}\n` +
                `--- ours ---\n${verbose(OURS, [], spec)}--- botocore ---\n${verbose(PYTHON, [BOTOCORE], spec)}`);
  }
  return actual;
}

const CREDENTIALS = {
  access_key_id: 'AKIAIOSFODNN7EXAMPLE',
  secret_access_key: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const SESSION_TOKEN =
    'IQoJb3JpZ2luX2VjEJr//////////wEaCWV1LXdlc3QtMSJHMEUCIQDexample+token/with=padding==';

const postToConnection = {
  ...CREDENTIALS,
  method: 'POST',
  host: 'abc123.execute-api.eu-west-1.amazonaws.com',
  path: '/production/@connections/L0SM9cOFvHcCIhw%3D',
  headers: [['Content-Type', 'application/json']],
  body: '{"type":"offer","sdp":"v=0\\r\\no=- 4611731400430051336 2 IN IP4 127.0.0.1\\r\\n"}',
  region: 'eu-west-1',
  service: 'execute-api',
  timestamp: '20240102T030405Z',
};

test('API Gateway PostToConnection to a connection id with "=", long-term keys', () => {
  assertSameAsBotocore(postToConnection);
});

test('API Gateway PostToConnection with a session token (a Lambda role\'s credentials)', () => {
  assertSameAsBotocore({...postToConnection, session_token: SESSION_TOKEN});
});

test('API Gateway DeleteConnection: DELETE with no body, session token', () => {
  assertSameAsBotocore({
    ...postToConnection, method: 'DELETE', headers: [], body: '', session_token: SESSION_TOKEN,
  });
});

test('API Gateway GetConnection on a custom stage name and a connection id with "-" and "_"', () => {
  assertSameAsBotocore({
    ...postToConnection, method: 'GET', path: '/dev-stage_2/@connections/a-b_c%2Bd%3D', headers: [],
    body: '', timestamp: '20241231T235959Z',
  });
});

const dynamodbPutItem = {
  ...CREDENTIALS,
  method: 'POST',
  host: 'dynamodb.eu-west-1.amazonaws.com',
  path: '/',
  headers: [
    ['Content-Type', 'application/x-amz-json-1.0'],
    ['X-Amz-Target', 'DynamoDB_20120810.PutItem'],
  ],
  body: JSON.stringify({
    TableName: 'videochat-rooms',
    Item: {room: {S: 'café ☕ 123'}, connection: {S: 'L0SM9cOFvHcCIhw='}, name: {S: 'Zoë 👋'}},
    ConditionExpression: 'attribute_not_exists(#c)',
    ExpressionAttributeNames: {'#c': 'connection'},
  }),
  region: 'eu-west-1',
  service: 'dynamodb',
  timestamp: '20240102T030405Z',
};

test('DynamoDB JSON 1.0 PutItem with X-Amz-Target and a UTF-8 body', () => {
  assertSameAsBotocore(dynamodbPutItem);
});

test('DynamoDB Query with a session token', () => {
  assertSameAsBotocore({
    ...dynamodbPutItem,
    headers: [['Content-Type', 'application/x-amz-json-1.0'], ['X-Amz-Target', 'DynamoDB_20120810.Query']],
    body: '{"TableName":"videochat-rooms","KeyConditionExpression":"room = :r","ExpressionAttributeValues":{":r":{"S":"123"}}}',
    session_token: SESSION_TOKEN,
  });
});

test('DynamoDB Local on a non-default port: the port is part of the signed host', () => {
  assertSameAsBotocore({...dynamodbPutItem, host: 'localhost:8000', region: 'us-east-1'});
});

test('query parameters with reserved, non-ASCII, repeated and empty names and values', () => {
  assertSameAsBotocore({
    ...CREDENTIALS,
    method: 'GET',
    host: 'example.execute-api.us-west-2.amazonaws.com',
    path: '/items',
    query: [
      ['b', '2'], ['a b', 'x+y z'], ['é', '/=&?#%'], ['A', "~*'()!"], ['k', 'v2'], ['k', 'v1'],
      ['k', 'V1'], ['empty', ''], ['_under', 'score'], ['~tilde', '☃'],
    ],
    headers: [],
    body: '',
    region: 'us-west-2',
    service: 'execute-api',
    timestamp: '20240229T120000Z',
  });
});

test('header values with leading, trailing and repeated spaces and tabs; repeated and mixed-case names', () => {
  assertSameAsBotocore({
    ...postToConnection,
    headers: [
      ['Content-Type', '  application/json;   charset=utf-8  '],
      ['X-Custom', '\t a \t\t b   c \t'],
      ['X-Repeated', 'one'],
      ['x-repeated', '  two  '],
      ['X-REPEATED', 'three'],
      ['X-Empty', ''],
      ['X-Quoted', '"a   b   c"'],
    ],
  });
});

test('a path with dot segments, repeated slashes and encoded UTF-8 is normalized and encoded again', () => {
  assertSameAsBotocore({
    ...postToConnection, method: 'GET', path: '//caf%C3%A9/./x//y/../z%20w/', headers: [], body: '',
  });
});

test('S3 PutObject: the path is signed as sent, and the payload hash is sent and signed', () => {
  assertSameAsBotocore({
    ...CREDENTIALS,
    method: 'PUT',
    host: 'videochat-site.s3.eu-west-1.amazonaws.com',
    path: '/assets//videochat%3Dv2.wasm',
    headers: [['Content-Type', 'application/wasm']],
    body: '\u0000asm\u0001\u0000\u0000\u0000',
    region: 'eu-west-1',
    service: 's3',
    timestamp: '20240102T030405Z',
    payload_hash_header: true,
  });
});

test('x-amz-content-sha256 asked for outside S3 is signed as botocore signs a caller-set header', () => {
  assertSameAsBotocore({...dynamodbPutItem, payload_hash_header: true});
});

test('both signers give the published get-vanilla Authorization (AWS test suite)', () => {
  const published = readFileSync(
      path.join(REPO_ROOT, 'tests/data/aws4_testsuite/get-vanilla/get-vanilla.authz'), 'utf8').trim();
  const vanilla = {
    method: 'GET', host: 'example.amazonaws.com', path: '/', access_key_id: 'AKIDEXAMPLE',
    secret_access_key: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', region: 'us-east-1',
    service: 'service', timestamp: '20150830T123600Z',
  };
  assert.equal(ours(vanilla), published);
  assert.equal(botocore(vanilla), published);
});

test('the comparison can fail: another secret gives another Authorization from each signer', () => {
  const other = {...postToConnection, secret_access_key: CREDENTIALS.secret_access_key + 'X'};
  assert.notEqual(ours(other), ours(postToConnection));
  assert.notEqual(botocore(other), botocore(postToConnection));
});
