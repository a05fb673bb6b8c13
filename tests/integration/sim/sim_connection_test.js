// chorus-sim's connection layer against Baileys 6.17.16 as the independent client:
//   1. registration: the Noise handshake with the simulator's real certificate chain, the
//      registration ClientPayload and <pair-device> all work: Baileys shows a QR whose ref is one
//      of the six refs the simulator sent, followed by its own noise/identity/adv keys;
//      on that connection a ping gets a result and an unknown iq gets 501;
//   2. login by an unknown device → <failure reason="401"/> (Baileys closes with 401);
//   3. restart: the root key survives; a device seeded into sim.db logs in (<success> with its
//      LID, then <ib><offline count="0"/>); Baileys counts and uploads its prekeys and reaches
//      connection 'open'; an arbitrary unknown iq gets 501; a ping gets a result;
//   4. the same device with a different noise key → 401.
// Usage: node sim_connection_test.js --sim PATH/chorus-sim   (CHORUS_NODE_MODULES = Baileys' node_modules)
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const h = require('./sim_harness');

const { fail, check, until } = h;
// Iqs the simulator answered with 501 inside Baileys' own handlers (unhandled rejections there).
const rejected501 = [];
const { sim, baileys, dataDir } = h.startTest({
  tag: 'test', timeoutMs: 50000,
  onRejection: (err) => {
    if (err && err.data === 501 && err.message === 'feature-not-implemented') { rejected501.push(err); return; }
    fail(`unexpected rejection: ${err && err.stack || err}`);
  },
});
const { initAuthCreds } = baileys;
try { execFileSync('sqlite3', ['-version'], { stdio: 'ignore' }); } catch { fail('the sqlite3 command is not installed'); }

// h.Sim.start plus the full check of the ready line and of server.json.
async function startSim() {
  const ready = await sim.start();
  const line = sim.line;
  check(JSON.stringify(Object.keys(ready).sort()) === '["ca","control","media","root_key","ws"]' &&
        /^ws:\/\/127\.0\.0\.1:\d+\/ws\/chat$/.test(ready.ws) && /^[0-9a-f]{64}$/.test(ready.root_key) &&
        /^http:\/\/127\.0\.0\.1:\d+$/.test(ready.control) && /^https:\/\/127\.0\.0\.1:\d+$/.test(ready.media) &&
        path.isAbsolute(ready.ca) && fs.existsSync(ready.ca), `bad ready line: ${line}`);
  check(fs.readFileSync(path.join(dataDir, 'server.json'), 'utf8') === `${line}\n`, 'server.json differs from stdout');
  return JSON.parse(line);
}

// h.connect without init queries, with fresh in-memory keys, also recording the <pair-device> refs.
function connect(info, creds) {
  const client = h.connect(baileys, info, { creds, keys: h.memoryKeyStore() }, { fireInitQueries: false });
  client.seen.refs = null;
  client.sock.ws.on('CB:iq,type:set,pair-device', (node) => {
    const pair = node.content.find((c) => c.tag === 'pair-device');
    client.seen.refs = pair.content.filter((c) => c.tag === 'ref').map((c) => Buffer.from(c.content).toString('utf8'));
  });
  if (process.env.SIM_TEST_DEBUG) client.sock.ev.on('connection.update', (update) => console.error('update', update));
  return client;
}

const iq = (sock, xmlns, child) => sock.query({
  tag: 'iq', attrs: { id: sock.generateMessageTag(), to: '@s.whatsapp.net', type: 'get', xmlns },
  content: [{ tag: child, attrs: {} }],
}, 10000);

async function expect501(sock, what) {
  try {
    await iq(sock, 'nonsense', 'x');
  } catch (err) {
    check(err.data === 501 && err.message === 'feature-not-implemented', `${what}: unknown iq rejected with ${err.data} ${err.message}`);
    return;
  }
  fail(`${what}: the unknown iq succeeded`);
}

async function expectPing(sock, what) {
  const result = await iq(sock, 'w:p', 'ping');
  check(result.tag === 'iq' && result.attrs.type === 'result', `${what}: ping answered with ${JSON.stringify(result.attrs)}`);
}

async function expectRefused(info, creds, what) {
  const { sock, seen } = connect(info, creds);
  await until(`${what}: close`, () => seen.closed);
  check(seen.closed.output && seen.closed.output.statusCode === 401,
        `${what}: closed with ${seen.closed.output && seen.closed.output.statusCode} (${seen.closed.message}), not 401`);
  check(seen.success === null && seen.qrs.length === 0, `${what}: got success or a QR`);
  sock.end(undefined);
}

async function main() {
  const info = await startSim();

  // 1. Registration → QR.
  const fresh = initAuthCreds();
  const reg = connect(info, fresh);
  await until('a QR code', () => reg.seen.qrs.length > 0);
  check(Array.isArray(reg.seen.refs) && reg.seen.refs.length === 6, `expected 6 refs, got ${reg.seen.refs}`);
  check(new Set(reg.seen.refs).size === 6 && reg.seen.refs.every((r) => /^[\x21-\x7e]+$/.test(r) && !r.includes(',')),
        'refs are not six distinct printable strings');
  const parts = reg.seen.qrs[0].split(',');
  check(parts.length === 4, 'QR has not four parts');
  check(reg.seen.refs.includes(parts[0]), 'QR ref is not one of the refs the simulator sent');
  check(parts[1] === Buffer.from(fresh.noiseKey.public).toString('base64'), 'QR noise key');
  check(parts[2] === Buffer.from(fresh.signedIdentityKey.public).toString('base64'), 'QR identity key');
  check(parts[3] === fresh.advSecretKey, 'QR adv secret');
  await expectPing(reg.sock, 'registration');
  await expect501(reg.sock, 'registration');
  check(reg.seen.closed === null, 'registration connection closed early');
  reg.sock.end(undefined);
  console.log('ok 1 - registration: handshake, pair-device refs, QR, ping, 501');

  // 2. Login by an unknown device.
  const unknown = initAuthCreds();
  unknown.me = { id: '15550001111:7@s.whatsapp.net', name: 'nobody' };
  unknown.registered = true;
  await expectRefused(info, unknown, 'unknown device');
  console.log('ok 2 - unknown device login → 401');

  // 3. Restart with a seeded device: the root key persists and the device logs in.
  await sim.stop();
  const known = initAuthCreds();
  known.me = { id: '15550002222:5@s.whatsapp.net', name: 'seeded' };
  known.registered = true;
  const noiseHex = Buffer.from(known.noiseKey.public).toString('hex');
  execFileSync('sqlite3', [path.join(dataDir, 'sim.db'),
    "INSERT INTO accounts(phone, lid) VALUES('15550002222', '123456789012345');" +
    `INSERT INTO devices(phone, device, noise_key) VALUES('15550002222', 5, X'${noiseHex}');`]);
  const info2 = await startSim();
  check(info2.root_key === info.root_key, 'the root key changed across a restart');
  const login = connect(info2, known);
  await until('<success>', () => login.seen.success);
  check(login.seen.success.attrs.lid === '123456789012345:5@lid', `success lid ${login.seen.success.attrs.lid}`);
  check(Math.abs(Number(login.seen.success.attrs.t) - Date.now() / 1000) < 60, 'success t is not now');
  await until('<ib><offline>', () => login.seen.offline);
  const offline = login.seen.offline.content.find((c) => c.tag === 'offline');
  check(offline && offline.attrs.count === '0', 'offline count is not 0');
  await until("connection 'open' (prekey count and upload, passive)", () => login.seen.open);
  check(rejected501.length === 0, 'an iq of Baileys\' login sequence was answered with 501');
  await expectPing(login.sock, 'login');
  await expect501(login.sock, 'login');
  check(login.seen.closed === null, 'logged-in connection closed early');
  login.sock.end(undefined);
  console.log('ok 3 - restart keeps the root key; seeded device logs in and opens; ping; 501');

  // 4. Known device, wrong noise key.
  const impostor = initAuthCreds();
  impostor.me = { id: '15550002222:5@s.whatsapp.net', name: 'impostor' };
  impostor.registered = true;
  await expectRefused(info2, impostor, 'wrong noise key');
  console.log('ok 4 - known device with another noise key → 401');
}

h.run(main, sim);
