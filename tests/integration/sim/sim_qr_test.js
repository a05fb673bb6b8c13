// chorus-sim's QR ref rotation (protocol notes §6.2) with short durations set via PUT /config:
//   1. qr_first_ms/qr_next_ms are validated (100 ms … 10 min) and shown by GET /config;
//   2. Baileys with the same timing (qrTimeout) shows six different QR strings in turn, then
//      ends with 408 timedOut ("QR refs attempts ended") before the simulator closes;
//   3. a Baileys client with its default 60 s QR keeps showing the first QR: once that ref has
//      expired its scan is refused with 410, and after all six refs the simulator closes the
//      connection (Baileys: 428 connectionClosed);
//   4. a later (rotated) ref still links: scanning the third QR → 202, 515, login opens.
// Usage: node sim_qr_test.js --sim PATH/chorus-sim   (CHORUS_NODE_MODULES = Baileys' node_modules)
'use strict';
const h = require('./sim_harness');

const { check } = h;
const { sim, baileys } = h.startTest({ tag: 'qr' });
const { DisconnectReason } = baileys;

const PHONE = '15550006001';
const fresh = () => ({ creds: baileys.initAuthCreds(), keys: h.memoryKeyStore() });

async function main() {
  await sim.start();
  check((await sim.control('POST', '/accounts', { phone: PHONE })).status === 201, 'account');

  // 1. Config.
  check((await sim.control('PUT', '/config', { qr_first_ms: 50 })).status === 400, 'qr_first_ms 50 was accepted');
  const defaults = (await sim.control('GET', '/config')).body;
  check(defaults.qr_first_ms === 60000 && defaults.qr_next_ms === 20000, `default config ${JSON.stringify(defaults)}`);
  const set = await sim.control('PUT', '/config', { qr_first_ms: 1000, qr_next_ms: 1000 });
  check(set.status === 200 && set.body.qr_first_ms === 1000 && set.body.qr_next_ms === 1000, `PUT /config ${JSON.stringify(set.body)}`);
  console.log('ok 1 - PUT/GET /config: QR durations (validated)');

  // 2. Same timing on both sides: six QR strings, then Baileys' own timeout.
  const started = Date.now();
  const same = h.connect(baileys, sim.info, fresh(), { socket: { qrTimeout: 1000 } });
  await h.until('Baileys gives up after six QRs', () => same.seen.closed, 12000);
  const refs = same.seen.qrs.map((q) => q.split(',')[0]);
  check(same.seen.qrs.length === 6 && new Set(refs).size === 6, `QR strings: ${same.seen.qrs.length}, distinct refs ${new Set(refs).size}`);
  check(h.statusOf(same.seen.closed) === DisconnectReason.timedOut, `after the QRs: ${h.statusOf(same.seen.closed)} ${same.seen.closed.message}`);
  console.log(`ok 2 - six successive QR strings, then 408 "${same.seen.closed.message}" after ${Date.now() - started} ms`);

  // 3. A client that keeps the first QR: expired ref → 410; the simulator closes after all refs.
  const slow = h.connect(baileys, sim.info, fresh());
  await h.until('a QR', () => slow.seen.qrs.length > 0);
  const opened = Date.now();
  await new Promise((r) => setTimeout(r, 1300));
  const late = await sim.control('POST', `/accounts/${PHONE}/scan`, { qr: slow.seen.qrs[0] });
  check(late.status === 410, `scan of an expired ref: ${late.status} ${JSON.stringify(late.body)}`);
  await h.until('the simulator closes', () => slow.seen.closed, 12000);
  const after = Date.now() - opened;
  check(slow.seen.qrs.length === 1 && h.statusOf(slow.seen.closed) === DisconnectReason.connectionClosed && after >= 5500,
        `slow client: ${slow.seen.qrs.length} QRs, closed with ${h.statusOf(slow.seen.closed)} after ${after} ms`);
  console.log(`ok 3 - an expired ref is refused (410); the simulator closes after all refs (${after} ms, 428)`);

  // 4. A rotated ref links.
  const auth = fresh();
  const reg = h.connect(baileys, sim.info, auth, { socket: { qrTimeout: 1000 } });
  await h.until('the third QR', () => reg.seen.qrs.length >= 3, 8000);
  const scan = await sim.control('POST', `/accounts/${PHONE}/scan`, { qr: reg.seen.qrs[2] });
  check(scan.status === 202, `scan of the third QR: ${scan.status} ${JSON.stringify(scan.body)}`);
  await h.until('515', () => reg.seen.closed);
  check(h.statusOf(reg.seen.closed) === DisconnectReason.restartRequired, `after the scan: ${h.statusOf(reg.seen.closed)}`);
  auth.creds.myAppStateKeyId = 'AAAAAA==';
  const client = h.connect(baileys, sim.info, auth);
  await h.until('open', () => client.seen.open);
  client.sock.end(undefined);
  console.log('ok 4 - the third QR links: 202, 515, open');
}

h.run(main, sim);
