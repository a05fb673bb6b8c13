// chorus-sim's media host reached the way Baileys 6.17.16 reaches it (§8.4, §15.6, §16.1):
//   1. the ready line names the HTTPS media host and the test CA; media_conn answers
//      <host hostname="127.0.0.1:M"/> (the media host's port) and the host's auth token;
//   2. with that hostname and token, node's https (trusting only the test CA) uploads a blob
//      (200 url/direct_path) and a wrong token is refused (401);
//   3. A sends an image to B with fetchAgent = an https.Agent trusting the CA: Baileys encrypts
//      and uploads through media_conn; B receives the imageMessage whose url points at the media
//      host and downloads and decrypts the same bytes.
// Usage: node sim_media_test.js --sim PATH/chorus-sim   (CHORUS_NODE_MODULES = Baileys' node_modules)
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const https = require('https');
const path = require('path');
const h = require('./sim_harness');

const { check } = h;
const { sim, baileys } = h.startTest({ tag: 'media' });

const A = '15550003001';
const B = '15550003002';

function post(url, body, agent) {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: 'POST', agent, headers: { 'content-length': body.length } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function main() {
  const info = await sim.start();
  check(/^https:\/\/127\.0\.0\.1:\d+$/.test(info.media) && path.isAbsolute(info.ca) && fs.existsSync(info.ca),
        `ready line ${JSON.stringify(info)}`);
  const agent = new https.Agent({ ca: fs.readFileSync(info.ca) });
  for (const phone of [A, B]) check((await sim.control('POST', '/accounts', { phone })).status === 201, `account ${phone}`);
  const socket = { fetchAgent: agent, options: { httpsAgent: agent } };
  const a = await h.pairClient(baileys, sim, A, { socket });
  const b = await h.pairClient(baileys, sim, B, { socket });

  // 1. media_conn.
  const result = await a.client.sock.query({ tag: 'iq', attrs: { id: a.client.sock.generateMessageTag(), to: '@s.whatsapp.net',
                                                                  type: 'set', xmlns: 'w:m' }, content: [{ tag: 'media_conn', attrs: {} }] });
  const conn = result.content.find((c) => c.tag === 'media_conn');
  const host = conn.content.find((c) => c.tag === 'host').attrs.hostname;
  check(`https://${host}` === info.media, `media_conn hostname ${host} is not ${info.media}`);
  console.log(`ok 1 - media_conn: hostname ${host}, auth token of the media host`);

  // 2. An upload the way Baileys builds it.
  const blob = crypto.randomBytes(4096);
  const token = crypto.createHash('sha256').update(blob).digest('base64url');
  const url = `https://${host}/mms/image/${token}?auth=${encodeURIComponent(conn.attrs.auth)}&token=${token}`;
  const up = await post(url, blob, agent);
  check(up.status === 200, `upload with the media_conn token: ${up.status} ${up.text}`);
  const body = JSON.parse(up.text);
  check(body.url.startsWith(`${info.media}/v/`) && body.direct_path.startsWith('/v/'), `upload answer ${up.text}`);
  const bad = await post(url.replace(/auth=[^&]*/, 'auth=wrong'), blob, agent);
  check(bad.status === 401, `upload with a wrong token: ${bad.status}`);
  console.log('ok 2 - HTTPS upload with the media_conn hostname and auth (200); a wrong token is 401');

  // 3. An image from A to B through Baileys' own upload and download.
  const image = crypto.randomBytes(20000);
  const sent = await a.client.sock.sendMessage(`${B}@s.whatsapp.net`, { image, mimetype: 'image/jpeg', caption: 'sim media' });
  check(sent.message.imageMessage.url.startsWith(`${info.media}/v/`), `A's image url ${sent.message.imageMessage.url}`);
  await h.until('B: the image', () => b.client.seen.upserts.some((m) => m.key.id === sent.key.id), 20000);
  const got = b.client.seen.upserts.find((m) => m.key.id === sent.key.id).message.imageMessage;
  check(got && got.caption === 'sim media' && got.url === sent.message.imageMessage.url, `B's imageMessage ${JSON.stringify(got && got.url)}`);
  const stream = await baileys.downloadContentFromMessage(got, 'image', { options: { httpsAgent: agent } });
  const parts = [];
  for await (const chunk of stream) parts.push(chunk);
  check(Buffer.concat(parts).equals(image), 'B decrypted other bytes than A sent');
  for (const c of [a.client, b.client]) check(c.seen.errors.length === 0, `Baileys logged errors: ${c.seen.errors.join('; ')}`);
  console.log('ok 3 - Baileys uploads an image through media_conn; B downloads and decrypts the same bytes');

  a.client.sock.end(undefined);
  b.client.sock.end(undefined);
}

h.run(main, sim);
