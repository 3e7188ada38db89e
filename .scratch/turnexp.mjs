import { spawn } from 'node:child_process';
import { createHmac, X509Certificate, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
const secret = 'abc';
const relay = spawn('turnserver', ['-n','--listening-ip=127.0.0.1','--listening-port=3478','--tls-listening-port=5349',
 '--cert=/tmp/tt/c.pem','--pkey=/tmp/tt/k.pem','--relay-ip=127.0.0.1','--use-auth-secret',`--static-auth-secret=${secret}`,
 '--realm=x','--allow-loopback-peers','--no-dtls','--no-cli','--fingerprint','--log-file=stdout','--simple-log','--verbose'], {stdio:['ignore','pipe','pipe']});
let log=''; relay.stdout.on('data', c=>log+=c); relay.stderr.on('data', c=>log+=c);
await new Promise(r=>setTimeout(r,1500));
const spki = new X509Certificate(readFileSync('/tmp/tt/c.pem')).publicKey.export({type:'spki',format:'der'});
const extra = process.env.SPKI ? [`--ignore-certificate-errors-spki-list=${createHash('sha256').update(spki).digest('base64')}`] : [];
const b = await chromium.launch({executablePath:'/usr/bin/chromium', args:['--no-sandbox','--allow-loopback-in-peer-connection','--use-fake-ui-for-media-stream',...extra]});
const ctx = await b.newContext({permissions:['camera','microphone']});
const p = await ctx.newPage();
await p.goto('about:blank');
const user = `${Math.floor(Date.now()/1000)+600}:probe`;
const pass = createHmac('sha1', secret).update(user).digest('base64');
for (const url of [process.env.URL || 'turns:localhost:5349?transport=tcp']) {
  const r = await p.evaluate(async ([url,user,pass]) => {
    const pc = new RTCPeerConnection({iceServers:[{urls:url, username:user, credential:pass}], iceTransportPolicy:'relay'});
    const out = [];
    const done = new Promise((resolve) => {
      pc.onicecandidateerror = (e) => out.push(['err', e.errorCode, e.errorText, e.url]);
      pc.onicecandidate = (e) => { if (e.candidate) out.push(['cand', e.candidate.type, e.candidate.candidate]); };
      pc.onicegatheringstatechange = () => { if (pc.iceGatheringState === 'complete') resolve(); };
      setTimeout(resolve, 12000);
    });
    pc.createDataChannel('x'); await pc.setLocalDescription(await pc.createOffer());
    await done; return out;
  }, [url,user,pass]);
  console.log(url, JSON.stringify(r));
}
await b.close(); relay.kill();
console.log(log.split("\n").filter(l=>/50[0-9][0-9][0-9]|session|handshake|alert|verify/i.test(l)).slice(0,30).join("\n"));
