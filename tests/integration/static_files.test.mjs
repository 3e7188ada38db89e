// The client files and /config.json, served from --web-root on the same port as the API.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, test } from 'node:test';

import { WEB_FILES, cleanup, rawHttp, startServer } from './harness.mjs';

afterEach(cleanup);

async function get(server, target, init) {
  const response = await fetch(`${server.http}${target}`, init);
  return { status: response.status, headers: response.headers,
           body: Buffer.from(await response.arrayBuffer()) };
}

describe('static files', () => {
  test('GET / serves index.html as text/html', async () => {
    const server = await startServer();

    const response = await get(server, '/');

    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(response.body.toString(), WEB_FILES['index.html']);
  });

  test('each file is served byte for byte with the MIME type of its extension', async () => {
    const server = await startServer();
    const expected = {
      'index.html': 'text/html; charset=utf-8',
      'app.js': 'text/javascript; charset=utf-8',
      'client.wasm': 'application/wasm',
    };

    for (const [name, type] of Object.entries(expected)) {
      const response = await get(server, `/${name}`);
      assert.equal(response.status, 200, name);
      assert.equal(response.headers.get('content-type'), type, name);
      assert.deepEqual(response.body, Buffer.from(WEB_FILES[name]), name);
    }
  });

  test('HEAD answers with the headers of GET and no body', async () => {
    const server = await startServer();

    const response = await rawHttp(server.port, { method: 'HEAD', target: '/client.wasm' });

    assert.equal(response.status, 200);
    assert.equal(response.headers['content-type'], 'application/wasm');
    assert.equal(Number(response.headers['content-length']), WEB_FILES['client.wasm'].length);
    assert.equal(response.body, '');
  });

  test('the site is served with its CSP, framable by anyone, loadable from any site', async () => {
    const server = await startServer();
    for (const target of ['/', '/app.js', '/client.wasm', '/config.json']) {
      const { headers } = await get(server, target);
      assert.equal(headers.get('access-control-allow-origin'), '*', target);
      const csp = headers.get('content-security-policy') ?? '';
      assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/, target);
      assert.doesNotMatch(csp, /'unsafe-eval'/, target);
      assert.match(csp, /frame-ancestors \*;/, target);
    }
  });

  test('--frame-ancestors says who may frame the page', async () => {
    const server = await startServer(['--frame-ancestors', "'self' https://example.com"]);
    const { headers } = await get(server, '/');
    assert.match(headers.get('content-security-policy'),
                 /frame-ancestors 'self' https:\/\/example\.com;/);
  });

  test('a file that does not exist is 404', async () => {
    const server = await startServer();

    assert.equal((await get(server, '/missing.js')).status, 404);
  });

  for (const target of ['/../etc/passwd', '/%2e%2e/etc/passwd', '/a/../../etc/passwd',
                        '/..%2fetc/passwd']) {
    test(`a path that climbs out of the web root (${target}) is 400`, async () => {
      const server = await startServer();

      const response = await rawHttp(server.port, { target });

      assert.equal(response.status, 400);
      assert.doesNotMatch(response.body, /root:/);
    });
  }

  test('a directory is redirected to its trailing-slash form, which serves its index.html',
       async () => {
    const server = await startServer();
    mkdirSync(path.join(server.webRoot, 'sub'));
    writeFileSync(path.join(server.webRoot, 'sub/index.html'), 'sub page');

    const redirect = await rawHttp(server.port, { target: '/sub' });
    const page = await get(server, '/sub/');

    assert.equal(redirect.status, 301);
    assert.equal(redirect.headers.location, '/sub/');
    assert.equal(page.status, 200);
    assert.equal(page.body.toString(), 'sub page');
  });

  test('methods other than GET and HEAD are 405 with an Allow header', async () => {
    const server = await startServer();

    const response = await get(server, '/index.html', { method: 'POST', body: 'x' });

    assert.equal(response.status, 405);
    assert.equal(response.headers.get('allow'), 'GET, HEAD');
  });

  test('/healthz reports ok and the number of live connections', async () => {
    const server = await startServer();
    await server.connect();

    const response = await get(server, '/healthz');

    assert.equal(response.status, 200);
    assert.deepEqual(JSON.parse(response.body), { status: 'ok', connections: 1 });
  });
});

describe('/config.json', () => {
  const ICE = [{ urls: 'stun:stun.example.org:3478' },
               { urls: ['turn:turn.example.org:3478'], username: 'u', credential: 'c' }];

  test('names the signaling URL of the host asked and the --ice-servers', async () => {
    const server = await startServer(['--ice-servers', JSON.stringify(ICE)]);

    const response = await get(server, '/config.json');

    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/json');
    assert.deepEqual(JSON.parse(response.body), {
      signalingUrl: `ws://127.0.0.1:${server.port}/production`,
      iceServers: ICE,
    });
  });

  test('has no ICE servers by default', async () => {
    const server = await startServer();

    assert.deepEqual(JSON.parse((await get(server, '/config.json')).body).iceServers, []);
  });

  test('advertises wss:// behind a proxy that says X-Forwarded-Proto: https', async () => {
    const server = await startServer(['--stage', 'dev']);

    const response = await rawHttp(server.port, {
      target: '/config.json', headers: { 'X-Forwarded-Proto': 'https' },
    });

    assert.equal(JSON.parse(response.body).signalingUrl, `wss://127.0.0.1:${server.port}/dev`);
  });

  test('advertises --signaling-url when given', async () => {
    const server = await startServer(['--signaling-url', 'wss://signal.example.org/production']);

    assert.equal(JSON.parse((await get(server, '/config.json')).body).signalingUrl,
                 'wss://signal.example.org/production');
  });
});
