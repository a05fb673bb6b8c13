// chorus-sim pairing by phone-number code (protocol notes §7) with Baileys 6.17.16:
//   1. a registering Baileys client calls sock.requestPairingCode(phone): the simulator answers
//      companion_hello with a pairing ref; a code for another phone, a malformed code and a code
//      nobody asked for are refused (404, 400, 404);
//   2. POST /accounts/{phone}/pairing-code {code} (202): the simulated phone sends the wrapped
//      primary ephemeral key; Baileys answers companion_finish; the simulator opens the key
//      bundle, derives the adv secret and sends pair-success, which Baileys verifies (HMAC with
//      the derived secret); pair-device-sign → 515;
//   3. the reconnect with the login payload reaches connection 'open' as device 1;
//   4. a wrong code: the key bundle does not open; companion_finish is refused and nothing is
//      linked.
// Usage: node sim_pairing_code_test.js --sim PATH/chorus-sim   (CHORUS_NODE_MODULES = Baileys' node_modules)
'use strict';
const h = require('./sim_harness');

const { check } = h;
// Baileys answers the link_code notification inside its handler; a refused companion_finish
// (step 4) is logged by it as an error (or rejects).
const rejections = [];
const { sim, baileys } = h.startTest({ tag: 'code', onRejection: (err) => { rejections.push(err); } });

const PHONE = '15550007001';
const OTHER = '15550007002';

async function main() {
  await sim.start();
  for (const phone of [PHONE, OTHER]) check((await sim.control('POST', '/accounts', { phone })).status === 201, `account ${phone}`);

  // 1. companion_hello.
  const auth = { creds: baileys.initAuthCreds(), keys: h.memoryKeyStore() };
  const reg = h.connect(baileys, sim.info, auth);
  await h.until('a QR code', () => reg.seen.qrs.length > 0);
  const code = await reg.sock.requestPairingCode(PHONE);
  check(/^[1-9A-HJ-NP-TV-Z]{8}$/.test(code), `pairing code ${code}`);
  await new Promise((r) => setTimeout(r, 200));
  check((await sim.control('POST', `/accounts/${OTHER}/pairing-code`, { code })).status === 404, 'a code for another phone was not 404');
  check((await sim.control('POST', `/accounts/${PHONE}/pairing-code`, { code: 'IIII-0000' })).status === 400, 'a malformed code was not 400');
  check((await sim.control('POST', `/accounts/${PHONE}/pairing-code`, {})).status === 400, 'a missing code was not 400');
  console.log(`ok 1 - requestPairingCode → companion_hello answered; bad requests refused (code ${code.slice(0, 4)}-…)`);

  // 2. The phone enters the code.
  const typed = `${code.slice(0, 4)}-${code.slice(4)}`.toLowerCase();
  const entered = await sim.control('POST', `/accounts/${PHONE}/pairing-code`, { code: typed });
  check(entered.status === 202, `pairing-code: ${entered.status} ${JSON.stringify(entered.body)}`);
  await h.until('the 515 after pairing by code', () => reg.seen.closed, 15000);
  check(h.statusOf(reg.seen.closed) === 515, `pairing by code ended with ${h.statusOf(reg.seen.closed)}: ${reg.seen.closed.message}`);
  check(auth.creds.me.id === `${PHONE}:1@s.whatsapp.net` && auth.creds.registered === true, `creds.me ${JSON.stringify(auth.creds.me)}`);
  console.log('ok 2 - the phone enters the code → companion_finish → pair-success verified → 515');

  // 3. Login.
  auth.creds.myAppStateKeyId = 'AAAAAA==';
  const client = h.connect(baileys, sim.info, auth);
  await h.until("connection 'open'", () => client.seen.open);
  const devices = (await sim.control('GET', '/devices')).body;
  check(devices.length === 1 && devices[0].jid === `${PHONE}:1@s.whatsapp.net` && devices[0].online, `devices ${JSON.stringify(devices)}`);
  client.sock.end(undefined);
  console.log("ok 3 - the reconnect opens as device 1");

  // 4. A wrong code.
  const auth2 = { creds: baileys.initAuthCreds(), keys: h.memoryKeyStore() };
  const reg2 = h.connect(baileys, sim.info, auth2);
  await h.until('a QR code', () => reg2.seen.qrs.length > 0);
  const code2 = await reg2.sock.requestPairingCode(PHONE);
  const wrong = code2[0] === '1' ? `2${code2.slice(1)}` : `1${code2.slice(1)}`;
  await new Promise((r) => setTimeout(r, 200));
  const wrongEntered = await sim.control('POST', `/accounts/${PHONE}/pairing-code`, { code: wrong });
  check(wrongEntered.status === 202, `entering a wrong code: ${wrongEntered.status} ${JSON.stringify(wrongEntered.body)}`);
  const refusal = () => [...rejections.map((e) => String(e && e.message)), ...reg2.seen.errors].find((e) => /not-authorized/.test(e));
  await h.until('companion_finish refused (not-authorized)', refusal, 10000);
  check((await sim.control('GET', '/devices')).body.length === 1, 'a wrong code linked a device');
  reg2.sock.end(undefined);
  console.log('ok 4 - a wrong code: companion_finish refused (not-authorized), nothing linked');
}

h.run(main, sim);
