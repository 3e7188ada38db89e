// With --management-credentials, the local @connections API demands SigV4 signatures as AWS
// does. Checked with a client nobody here wrote: Debian's awscli (botocore).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { afterEach, describe, test } from 'node:test';
import { promisify } from 'node:util';

import { cleanup, startServer } from './harness.mjs';

afterEach(cleanup);

const run = promisify(execFile);
const KEY_ID = 'AKIDLOCALTEST';
const SECRET = 'local-secret/with+odd=chars';
const AWS = process.env.AWS_CLI || '/usr/bin/aws';

// Runs `aws apigatewaymanagementapi ...` against the server with the given secret.
async function awscli(server, secret, ...args) {
  const env = {
    PATH: '/usr/bin:/bin', HOME: '/nonexistent',
    AWS_ACCESS_KEY_ID: KEY_ID, AWS_SECRET_ACCESS_KEY: secret, AWS_DEFAULT_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  try {
    const { stdout } = await run(AWS, ['apigatewaymanagementapi', ...args, '--endpoint-url',
                                       `${server.http}/production`], { env, timeout: 20000 });
    return { code: 0, stdout, stderr: '' };
  } catch (error) {
    return { code: error.code, stdout: error.stdout, stderr: error.stderr };
  }
}

describe('SigV4 on the management API', () => {
  test('a post signed by awscli with the right key reaches the connection', async () => {
    const server = await startServer(['--management-credentials', `${KEY_ID}:${SECRET}`]);
    const client = await server.connect();

    const result = await awscli(server, SECRET, 'post-to-connection', `--connection-id=${client.id}`, '--data', Buffer.from('signed hello').toString('base64'));

    assert.equal(result.code, 0, result.stderr);
    assert.equal(await client.nextText(), 'signed hello');
  });

  test('awscli can describe the connection', async () => {
    const server = await startServer(['--management-credentials', `${KEY_ID}:${SECRET}`]);
    const client = await server.connect();

    const result = await awscli(server, SECRET, 'get-connection', `--connection-id=${client.id}`);

    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).Identity.SourceIp, '127.0.0.1');
  });

  test('a request signed with the wrong secret is refused and delivers nothing', async () => {
    const server = await startServer(['--management-credentials', `${KEY_ID}:${SECRET}`]);
    const client = await server.connect();

    const result = await awscli(server, 'not-the-secret', 'post-to-connection', `--connection-id=${client.id}`, '--data', Buffer.from('forged').toString('base64'));

    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /InvalidSignatureException/);
    // Nothing was delivered: the next frame is the one the right key sends.
    const ok = await awscli(server, SECRET, 'post-to-connection', `--connection-id=${client.id}`,
                            '--data', Buffer.from('genuine').toString('base64'));
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(await client.nextText(), 'genuine');
  });

  test('an unsigned request is refused with 403 MissingAuthenticationTokenException', async () => {
    const server = await startServer(['--management-credentials', `${KEY_ID}:${SECRET}`]);
    const client = await server.connect();

    const response = await fetch(`${server.http}/production/@connections/${encodeURIComponent(client.id)}`,
                                 { method: 'POST', body: 'unsigned' });

    assert.equal(response.status, 403);
    assert.equal(response.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
  });
});
