// chorus-sim QR pairing through the control API, with Baileys 6.17.16 as the companion:
//   1. POST /accounts creates an account with a simulated phone (201; again → 409; bad → 400);
//   2. a Baileys registration shows a QR; scans with an unknown account (404), a tampered noise
//      key (403) and a malformed QR (400) are refused; the real scan answers 202 with device 1;
//   3. Baileys verifies pair-success (HMAC, account signature), answers pair-device-sign and the
//      simulator ends the connection with 515; GET /devices lists the device with key index 1;
//   4. the reconnect with the login payload reaches connection 'open': prekey count and upload
//      (30 stored), passive, init queries (props, blocklist, privacy) without any 501;
//   5. media_conn has auth/ttl/auth_ttl/max_buckets; usync lists device 0 and 1 (key-index);
//      w:sync:app:state answers each collection at version 0; GET /connections shows the device;
//   6. a second client linked to the same account gets device 2 and key index 2.
// Usage: node sim_pairing_test.js --sim PATH/chorus-sim   (CHORUS_NODE_MODULES = Baileys' node_modules)
'use strict';
const h = require('./sim_harness');

const { check } = h;
const { sim, baileys } = h.startTest({ tag: 'pairing', timeoutMs: 50000 });

const PHONE = '15550001000';

const iq = (sock, xmlns, type, content) => sock.query({
  tag: 'iq', attrs: { id: sock.generateMessageTag(), to: '@s.whatsapp.net', type, xmlns }, content,
}, 10000);

async function main() {
  await sim.start();

  // 1. Accounts.
  const created = await sim.control('POST', '/accounts', { phone: PHONE });
  check(created.status === 201, `POST /accounts: ${created.status} ${JSON.stringify(created.body)}`);
  check(created.body.jid === `${PHONE}@s.whatsapp.net` && /^\d{15}@lid$/.test(created.body.lid) && created.body.has_phone === true,
        `account body ${JSON.stringify(created.body)}`);
  check((await sim.control('POST', '/accounts', { phone: PHONE })).status === 409, 'a duplicate account was not 409');
  check((await sim.control('POST', '/accounts', { phone: '12ab' })).status === 400, 'a bad phone was not 400');
  const accounts = await sim.control('GET', '/accounts');
  check(accounts.status === 200 && accounts.body.length === 1 && accounts.body[0].phone === PHONE, 'GET /accounts');
  console.log('ok 1 - POST/GET /accounts');

  // 2. Registration and refused scans.
  const auth = { creds: baileys.initAuthCreds(), keys: h.memoryKeyStore() };
  const reg = h.connect(baileys, sim.info, auth);
  await h.until('a QR code', () => reg.seen.qrs.length > 0);
  const qr = reg.seen.qrs[0];
  const parts = qr.split(',');
  check((await sim.control('POST', '/accounts/15559999999/scan', { qr })).status === 404, 'scan by an unknown account was not 404');
  const otherNoise = Buffer.alloc(32, 7).toString('base64');
  check((await sim.control('POST', `/accounts/${PHONE}/scan`, { qr: [parts[0], otherNoise, parts[2], parts[3]].join(',') })).status === 403,
        'a scan with another noise key was not 403');
  check((await sim.control('POST', `/accounts/${PHONE}/scan`, { qr: 'nonsense' })).status === 400, 'a malformed QR was not 400');
  check((await sim.control('POST', `/accounts/${PHONE}/scan`, { qr: `2@unknownref,${parts[1]},${parts[2]},${parts[3]}` })).status === 404,
        'a scan with an unknown ref was not 404');
  const registrations = await sim.control('GET', '/connections');
  check(registrations.body.length === 1 && registrations.body[0].kind === 'registration', `connections ${JSON.stringify(registrations.body)}`);
  console.log('ok 2 - registration waits; bad scans refused (404, 403, 400)');

  // 3. The real scan (with whatsmeow's URL prefix, which the simulator strips).
  const scan = await sim.control('POST', `/accounts/${PHONE}/scan`, { qr: `https://wa.me/settings/linked_devices#${qr}` });
  check(scan.status === 202 && scan.body.device === `${PHONE}:1@s.whatsapp.net` && scan.body.key_index === 1,
        `scan: ${scan.status} ${JSON.stringify(scan.body)}`);
  await h.until('the 515 after pairing', () => reg.seen.closed);
  check(h.statusOf(reg.seen.closed) === 515, `pairing ended with ${h.statusOf(reg.seen.closed)}: ${reg.seen.closed.message}`);
  check(auth.creds.me.id === scan.body.device && auth.creds.platform === 'android', `creds.me ${JSON.stringify(auth.creds.me)}`);
  check(Buffer.from(auth.creds.account.accountSignatureKey).length === 32, 'no account signature key in creds.account');
  let devices = await sim.control('GET', '/devices');
  check(devices.body.length === 1 && devices.body[0].jid === scan.body.device && devices.body[0].key_index === 1 && devices.body[0].online === false,
        `devices after pairing ${JSON.stringify(devices.body)}`);
  console.log('ok 3 - pair-success verified by Baileys; pair-device-sign; 515; device persisted');

  // 4. Reconnect → open.
  auth.creds.myAppStateKeyId = 'AAAAAA==';
  const rejected = [];
  const client = h.connect(baileys, sim.info, auth);
  const origQuery = client.sock.query;
  client.sock.query = async (...args) => {
    try { return await origQuery(...args); } catch (err) { rejected.push(`${args[0].attrs.xmlns}: ${err.message}`); throw err; }
  };
  await h.until("connection 'open'", () => client.seen.open);
  check(client.seen.success.attrs.lid === `${created.body.lid.split('@')[0]}:1@lid`, `success lid ${client.seen.success.attrs.lid}`);
  await h.until('<ib><offline>', () => client.seen.offline);
  await new Promise((r) => setTimeout(r, 500));  // init queries
  check(rejected.length === 0, `iqs rejected: ${rejected.join('; ')}`);
  check(client.seen.errors.length === 0, `Baileys logged errors: ${client.seen.errors.join('; ')}`);
  devices = await sim.control('GET', '/devices');
  check(devices.body[0].online === true && devices.body[0].prekeys === 30, `devices after login ${JSON.stringify(devices.body)}`);
  console.log("ok 4 - login → prekey upload (30) → connection 'open'; init queries answered");

  // 5. media_conn, usync, app state, connections.
  const media = (await iq(client.sock, 'w:m', 'set', [{ tag: 'media_conn', attrs: {} }])).content.find((c) => c.tag === 'media_conn');
  for (const a of ['auth', 'ttl', 'auth_ttl', 'max_buckets']) check(media && media.attrs[a], `media_conn lacks ${a}`);
  const query = new baileys.USyncQuery().withContext('message').withDeviceProtocol();
  query.withUser(new baileys.USyncUser().withId(`${PHONE}@s.whatsapp.net`));
  const usync = await client.sock.executeUSyncQuery(query);
  const list = usync.list[0].devices.deviceList;
  check(JSON.stringify(list.map((d) => [d.id, d.keyIndex || 0])) === '[[0,0],[1,1]]', `usync device list ${JSON.stringify(list)}`);
  check(usync.list[0].devices.keyIndex && usync.list[0].devices.keyIndex.signedKeyIndex, 'usync without key-index-list');
  const names = ['critical_block', 'critical_unblock_low', 'regular_high', 'regular_low', 'regular'];
  const sync = await iq(client.sock, 'w:sync:app:state', 'set', [{ tag: 'sync', attrs: {},
    content: names.map((n) => ({ tag: 'collection', attrs: { name: n, version: '0', return_snapshot: 'false' } })) }]);
  const collections = sync.content.find((c) => c.tag === 'sync').content;
  check(JSON.stringify(collections.map((c) => [c.attrs.name, c.attrs.version])) === JSON.stringify(names.map((n) => [n, '0'])),
        `app state ${JSON.stringify(collections.map((c) => c.attrs))}`);
  const connections = await sim.control('GET', '/connections');
  check(connections.body.length === 1 && connections.body[0].kind === 'device' && connections.body[0].jid === scan.body.device,
        `connections ${JSON.stringify(connections.body)}`);
  console.log('ok 5 - media_conn, usync with key-index, app state version 0, GET /connections');

  // 6. A second companion of the same account.
  const second = await h.pairClient(baileys, sim, PHONE);
  check(second.device === `${PHONE}:2@s.whatsapp.net` && second.scan.key_index === 2, `second device ${JSON.stringify(second.scan)}`);
  second.client.sock.end(undefined);
  client.sock.end(undefined);
  console.log('ok 6 - a second companion gets device 2, key index 2');
}

h.run(main, sim);
