// The 1:1 call again, with rooms in DynamoDB (dynalite) as on AWS: one smoke run, since the media
// path is the same as in call.test.mjs and only the store differs.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { REPO_ROOT, cleanup, startDynalite, startServer } from '../integration/harness.mjs';
import { launchBrowser, openClient, waitForState } from './browser.mjs';

const SITE = process.env.VIDEOCHAT_SITE || path.join(REPO_ROOT, 'build/site');

describe('a 1:1 call with rooms in DynamoDB', () => {
  let server, browser;

  before(async () => {
    const env = await startDynalite();
    server = await startServer(['--web-root', SITE, '--store', 'dynamodb'],
                               { env, timeoutMs: 15000 });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await cleanup();
  });

  test('two pages join the same room, reach connected and decode each other\'s video', async () => {
    const ann = await openClient(browser, `${server.http}/`, 'ann');
    const bob = await openClient(browser, `${server.http}/`, 'bob');
    assert.equal(await ann.evaluate(() => window.videochat.join('dynamo-call', 'Ann')), null);
    await waitForState(ann, (s) => s.signaling === 'online' && s.room === 'dynamo-call', 'ann in');
    assert.equal(await bob.evaluate(() => window.videochat.join('dynamo-call', 'Bob')), null);

    const flowing = (s) => s.peers.length === 1 && s.peers[0].state === 'connected' &&
                           s.peers[0].framesDecoded > 10;
    await Promise.all([waitForState(ann, flowing, 'video from bob'),
                       waitForState(bob, flowing, 'video from ann')]);

    await bob.evaluate(() => window.videochat.leave());
    await waitForState(ann, (s) => s.peers.length === 0, 'ann alone');
  });
});
