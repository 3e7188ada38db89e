// The 1:1 call again, with rooms in DynamoDB (dynalite) as on AWS: one smoke run, since the media
// path is the same as in call.test.mjs and only the store differs.
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { REPO_ROOT, cleanup, startDynalite, startServer } from '../integration/harness.mjs';
import { holdShortCall, launchBrowser } from './browser.mjs';

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
    await holdShortCall(browser, server, 'dynamo-call');
  });
});
