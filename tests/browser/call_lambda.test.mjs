// The 1:1 call again, with signaling handled as on AWS: videochat-local --lambda runs the Lambda
// zip in function processes behind its local Runtime API, rooms in dynalite. One smoke run: the
// media path is the same as in call.test.mjs; only where the handlers run differs.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { REPO_ROOT, cleanup, startLambdaServer } from '../integration/harness.mjs';
import { holdShortCall, launchBrowser } from './browser.mjs';

const SITE = process.env.VIDEOCHAT_SITE || path.join(REPO_ROOT, 'build/site');

describe('a 1:1 call with the handlers in Lambda function processes', () => {
  let server, browser;

  before(async () => {
    // LAMBDA_ZIP: the zip CTest's lambda_zip fixture keeps up to date.
    server = await startLambdaServer(['--web-root', SITE], { zip: process.env.LAMBDA_ZIP });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await cleanup();
  });

  test('two pages join the same room, reach connected and decode each other\'s video', async () => {
    await holdShortCall(browser, server, 'lambda-call', async () => {
      // Every route of the call ran in a function process and succeeded.
      const routes = server.logs.filter((l) => l.event === 'route');
      assert.ok(routes.some((l) => l.route === 'sendMsgToRoom'), 'offers and answers were relayed');
      assert.deepEqual(routes.filter((l) => l.outcome !== 'ok' || !(l.pid > 0)), []);
    });
  });
});
