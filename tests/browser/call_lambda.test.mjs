// The 1:1 call again, with signaling handled as on AWS: videochat-local --lambda runs the Lambda
// zip in function processes behind its local Runtime API, rooms in dynalite. One smoke run: the
// media path is the same as in call.test.mjs; only where the handlers run differs.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { REPO_ROOT, cleanup, startLambdaServer } from '../integration/harness.mjs';
import { launchBrowser, openClient, waitForState } from './browser.mjs';

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
    const ann = await openClient(browser, `${server.http}/`, 'ann');
    const bob = await openClient(browser, `${server.http}/`, 'bob');
    assert.equal(await ann.evaluate(() => window.videochat.join('lambda-call', 'Ann')), null);
    await waitForState(ann, (s) => s.signaling === 'online' && s.room === 'lambda-call', 'ann in');
    assert.equal(await bob.evaluate(() => window.videochat.join('lambda-call', 'Bob')), null);

    const flowing = (s) => s.peers.length === 1 && s.peers[0].state === 'connected' &&
                           s.peers[0].framesDecoded > 10;
    await Promise.all([waitForState(ann, flowing, 'video from bob'),
                       waitForState(bob, flowing, 'video from ann')]);
    // Every route of the call ran in a function process and succeeded.
    const routes = server.logs.filter((l) => l.event === 'route');
    assert.ok(routes.some((l) => l.route === 'sendMsgToRoom'), 'offers and answers were relayed');
    assert.deepEqual(routes.filter((l) => l.outcome !== 'ok' || !(l.pid > 0)), []);

    await bob.evaluate(() => window.videochat.leave());
    await waitForState(ann, (s) => s.peers.length === 0, 'ann alone');
  });
});
