// The Lambda function mints TURN credentials with a secret it reads from SSM Parameter Store at
// init (a signed GetParameter, WithDecryption), never from its environment. Through
// videochat-local --lambda, whose Runtime API ports answer that GetParameter with
// --turn-secret-file's secret: joiners get credentials the relay would accept. Against a fake SSM
// (and Runtime API) in this file: a parameter that is missing, denied or not a SecureString stops
// init with words that name it, and the request is the one AWS expects.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';

import { LAMBDA_ZIP, REPO_ROOT, cleanup, startLambdaServer, track, withDeadline } from
  '../integration/harness.mjs';
import { closeServer, listenOnLoopback } from './loopback_server.mjs';

afterEach(cleanup);

const ZIP = LAMBDA_ZIP || path.join(REPO_ROOT, 'build/native/lambda/videochat-lambda.zip');
const PEER_A = 'a'.repeat(32);
// The TURN REST API's password, computed independently of the function.
const turnPassword = (secret, username) => createHmac('sha1', secret).update(username).digest('base64');

describe('videochat-local --lambda with a TURN relay', () => {
  test('the function reads the secret through GetParameter and joined carries a relay ' +
       'credential of expiry:peerId made with it; the secret is in no log and no environment',
       async (t) => {
    const folder = mkdtempSync(path.join(tmpdir(), 'videochat-turn-lambda-'));
    try {
      const secret = randomBytes(24).toString('base64');
      writeFileSync(path.join(folder, 'turn'), `${secret}\n`, { mode: 0o600 });
      const server = await startLambdaServer([
        '--turn-url', 'turn:relay.example.org:3478?transport=udp',
        '--turn-url', 'turns:relay.example.org:443?transport=tcp',
        '--turn-secret-file', path.join(folder, 'turn'), '--turn-credential-lifetime', '600']);
      const init = await server.waitForLog((l) => l.event === 'function_log' && l.line.event === 'init',
                                           10000);
      assert.deepEqual(init.line.turn, {
        urls: ['turn:relay.example.org:3478?transport=udp', 'turns:relay.example.org:443?transport=tcp'],
        secretParameter: '/videochat-local/turn-secret',
        credentialLifetimeS: 600,
      });
      assert.equal(typeof init.line.turnSecretMs, 'number');
      t.diagnostic(`turnSecretMs (GetParameter against videochat-local's stand-in, cold): ` +
                   `${init.line.turnSecretMs} ms`);

      const [alice, bob] = [await server.connect(), await server.connect()];
      const before = Math.floor(Date.now() / 1000);
      await server.join(alice, 'r1', { peerId: PEER_A }, 5000);
      const [relay, ...others] = alice.joined.iceServers;
      assert.equal(others.length, 0);
      assert.deepEqual(relay.urls, init.line.turn.urls);
      const [expires, user] = relay.username.split(':');
      assert.equal(user, PEER_A);
      assert.ok(Number(expires) >= before + 600 && Number(expires) <= before + 602, relay.username);
      assert.equal(relay.credential, turnPassword(secret, relay.username));
      assert.equal(alice.joined.iceServersTtl, 600);
      await server.join(bob, 'r1', {}, 5000);
      assert.equal(bob.joined.iceServers[0].username.split(':')[1], bob.id);
      assert.equal(bob.joined.iceServers[0].credential,
                   turnPassword(secret, bob.joined.iceServers[0].username));

      assert.ok(!JSON.stringify(server.logs).includes(secret), 'the secret is in no log line');
      const environ = readFileSync(`/proc/${init.pid}/environ`, 'utf8').split('\0');
      assert.ok(!environ.some((entry) => entry.includes(secret)), 'nor in the function\'s environment');
      assert.ok(environ.includes('VIDEOCHAT_TURN_SECRET_PARAMETER=/videochat-local/turn-secret'));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The zip's function on its own, its Runtime API and SSM both played by one local HTTP server.

class FakeLambdaAndSsm {
  constructor(answerGetParameter) {
    this.answerGetParameter = answerGetParameter;
    this.ssmRequests = [];
    this.initErrors = [];
    this.nextRequests = 0;
    this.waiters = new Set();
    this.parked = [];
    this.server = http.createServer((request, response) => {
      const chunks = [];
      request.on('data', (chunk) => chunks.push(chunk));
      request.on('end', () => {
        this.#route(request, Buffer.concat(chunks).toString('utf8'), response);
        for (const waiter of this.waiters) waiter();
      });
    });
  }

  start() {
    return listenOnLoopback(this.server);
  }

  stop() {
    return closeServer(this.server, this.parked);
  }

  until(predicate, what, timeoutMs = 10000) {
    return withDeadline(new Promise((resolve) => {
      const check = () => {
        if (!predicate()) return;
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
      check();
    }), timeoutMs, what);
  }

  #route(request, body, response) {
    if (request.method === 'POST' && request.url === '/' && request.headers['x-amz-target']) {
      this.ssmRequests.push({ headers: request.headers, body });
      const [status, answer] = this.answerGetParameter(JSON.parse(body));
      response.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1' })
          .end(JSON.stringify(answer));
      return;
    }
    if (request.method === 'POST' && request.url === '/2018-06-01/runtime/init/error') {
      this.initErrors.push(JSON.parse(body));
      response.writeHead(202, { 'Content-Type': 'application/json' }).end('{"status":"OK"}');
      return;
    }
    if (request.method === 'GET' && request.url === '/2018-06-01/runtime/invocation/next') {
      this.nextRequests += 1;
      this.parked.push(response);  // init succeeded; no invocation is ever handed out
      return;
    }
    response.writeHead(404).end();
  }
}

describe('the Lambda function\'s TURN secret from SSM', () => {
  let taskRoot;
  before(() => {
    taskRoot = mkdtempSync(path.join(tmpdir(), 'videochat-lambda-task-'));
    execFileSync('unzip', ['-q', ZIP, '-d', taskRoot]);
  });
  after(() => rmSync(taskRoot, { recursive: true, force: true }));

  const PARAMETER = '/videochat/turn-secret';
  const SECRET = `relay-secret-${randomBytes(8).toString('hex')}`;

  // Starts the function against `fake`; resolves with its exit and output once `done` holds.
  async function runFunction(fake, done, what, extraEnv = {}) {
    const endpoint = await fake.start();
    const child = track(spawn(path.join(taskRoot, 'bootstrap'), [], {
      cwd: taskRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        AWS_LAMBDA_RUNTIME_API: endpoint,
        LAMBDA_TASK_ROOT: taskRoot,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'ASIAFUNCTIONROLE0000',
        AWS_SECRET_ACCESS_KEY: 'role-secret',
        AWS_SESSION_TOKEN: 'role-session-token',
        VIDEOCHAT_TABLE: 'videochat',
        AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9',
        RESUME_SECRET: randomBytes(32).toString('hex'),
        VIDEOCHAT_TURN_URLS: 'turn:relay.example.org:3478?transport=udp',
        VIDEOCHAT_TURN_SECRET_PARAMETER: PARAMETER,
        AWS_ENDPOINT_URL_SSM: `http://${endpoint}`,
        ...extraEnv,
      },
    }));
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    try {
      await fake.until(done, what);
    } finally {
      child.kill('SIGKILL');
      await fake.stop();
    }
    return output;
  }

  const secureString = (type = 'SecureString', value = SECRET) => [200, {
    Parameter: { Name: PARAMETER, Type: type, Value: value, Version: 1, DataType: 'text',
                 ARN: `arn:aws:ssm:us-east-1:123456789012:parameter${PARAMETER}` },
  }];

  test('init sends one GetParameter signed for ssm, with decryption, then takes invocations',
       async (t) => {
    const fake = new FakeLambdaAndSsm(() => secureString());
    const output = await runFunction(fake, () => fake.nextRequests > 0, 'GET /invocation/next');
    assert.equal(fake.initErrors.length, 0);
    const [request, ...more] = fake.ssmRequests;
    assert.equal(more.length, 0);
    assert.equal(request.headers['x-amz-target'], 'AmazonSSM.GetParameter');
    assert.equal(request.headers['content-type'], 'application/x-amz-json-1.1');
    assert.deepEqual(JSON.parse(request.body), { Name: PARAMETER, WithDecryption: true });
    assert.match(request.headers.authorization,
                 /^AWS4-HMAC-SHA256 Credential=ASIAFUNCTIONROLE0000\/\d{8}\/us-east-1\/ssm\/aws4_request, /);
    assert.equal(request.headers['x-amz-security-token'], 'role-session-token');
    const init = output.split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((l) => l.event === 'init');
    assert.equal(init.turn.secretParameter, PARAMETER);
    assert.ok(!output.includes(SECRET), 'the secret is not logged');
    t.diagnostic(`turnSecretMs (GetParameter against a local Node fake): ${init.turnSecretMs} ms`);
  });

  for (const [name, answer, words] of [
    ['a missing parameter', () => [400, { __type: 'ParameterNotFound', message: '' }], /ParameterNotFound/],
    ['a parameter the role may not read',
     () => [400, { __type: 'AccessDeniedException',
                   message: `User: arn:aws:sts::123456789012:assumed-role/fn/x is not authorized to ` +
                            `perform: ssm:GetParameter on resource: ${PARAMETER}` }],
     /access denied \(AccessDeniedException: User: .* is not authorized to perform: ssm:GetParameter/],
    ['a plain String parameter', () => secureString('String'), /it is a String, not a SecureString/],
    ['an empty value', () => secureString('SecureString', '\n'), /its value is empty/],
  ]) {
    test(`${name} stops init with words that name the parameter, never the value`, async () => {
      const fake = new FakeLambdaAndSsm(answer);
      const output = await runFunction(fake, () => fake.initErrors.length > 0, 'POST /init/error');
      const [error] = fake.initErrors;
      assert.equal(error.errorType, 'InitError');
      assert.ok(error.errorMessage.startsWith(`VIDEOCHAT_TURN_SECRET_PARAMETER ${PARAMETER}: `),
                error.errorMessage);
      assert.match(error.errorMessage, words);
      assert.equal(fake.nextRequests, 0, 'no invocation is taken');
      assert.ok(!error.errorMessage.includes(SECRET) && !output.includes(SECRET));
    });
  }

  test('a relay without its parameter\'s name stops init naming what is missing, asking SSM nothing',
       async () => {
    const fake = new FakeLambdaAndSsm(() => secureString());
    await runFunction(fake, () => fake.initErrors.length > 0, 'POST /init/error',
                      { VIDEOCHAT_TURN_SECRET_PARAMETER: '' });
    assert.match(fake.initErrors[0].errorMessage,
                 /^VIDEOCHAT_TURN_URLS is set but VIDEOCHAT_TURN_SECRET_PARAMETER is not/);
    assert.equal(fake.ssmRequests.length, 0);
  });
});
