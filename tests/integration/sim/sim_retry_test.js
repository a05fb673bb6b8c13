// chorus-sim relays retry resends like the real server (two Baileys 6.17.16 clients, A and B,
// and A's simulated phone). Each time B is made to fail decryption by deleting its Signal state
// for the sender (session or sender key) just before the message arrives; B then sends a real
// retry receipt and the message is sent again:
//   1. 1:1, Baileys' own resend (getMessage): to=<B device>, device_fanout="false", <participants>;
//   2. 1:1, whatsmeow's shape (retry.go handleRetryReceipt): to=<B device>, device_fanout="false",
//      no <participants>, one <enc count="1"> (+ <device-identity>) — B decrypts it;
//   3. group, whatsmeow's shape: to=<group> participant=<B device>, one pairwise <enc count>
//      carrying the text and A's SKDM — only B's device gets it, and decrypts it;
//   4. A's simulated phone answers B's retry receipt by re-sending to B's device (<enc count="1">);
//   5. the phone, unable to decrypt B's message, sends B a retry receipt; Baileys re-sends and
//      the phone's inbox has the text.
// Usage: node sim_retry_test.js --sim PATH/chorus-sim   (CHORUS_NODE_MODULES = Baileys' node_modules)
'use strict';
const crypto = require('crypto');
const h = require('./sim_harness');

const { check, userJid, textOf } = h;
const { sim, baileys } = h.startTest({ tag: 'retry' });

const [A, B] = ['15550006001', '15550006002'];
// Baileys waits 5 s before its first retry receipt (a placeholder resend request to the phone)
// unless the message id is already in this cache: a cache that knows every id skips the wait.
const noPlaceholderWait = { get: () => true, set: () => true, del: () => 0 };

// libsignal prints whole session records (keys included) when it closes one, which this test
// does on purpose: keep them out of the test log.
const info = console.info;
console.info = (...args) => { if (args[0] !== 'Closing session:') info(...args); };

const signalAddress = (jid) => {
  const { user, device } = baileys.jidDecode(jid);
  return `${user}.${device || 0}`;
};

async function main() {
  await sim.start();
  for (const phone of [A, B]) {
    const r = await sim.control('POST', '/accounts', { phone });
    check(r.status === 201, `POST /accounts ${phone}: ${r.status}`);
  }
  const sentByA = new Map();
  const sentByB = new Map();
  const socket = (sent) => ({ getMessage: async (key) => sent.get(key.id), placeholderResendCache: noPlaceholderWait });
  // Baileys caches a user's devices without device 0 after a 1:1 send, so a group send would
  // then leave B's simulated phone out of the SKDM fan-out; the phone, still getting the skmsg,
  // would ask for a retry, and Baileys' answer (a new SKDM for every device) would spare B's
  // companion the failure step 3 needs. A does a fresh device lookup for every send instead.
  const noDeviceCache = { get: () => undefined, set: () => true, del: () => 0, flushAll: () => {} };
  const a = await h.pairClient(baileys, sim, A, { socket: { ...socket(sentByA), userDevicesCache: noDeviceCache } });
  const b = await h.pairClient(baileys, sim, B, { socket: socket(sentByB) });
  const upsertOf = (client, id, text) => client.seen.upserts.find((m) => m.key.id === id && textOf(m) === text);
  const retryFor = (client, id) => client.seen.receipts.find((r) => r.attrs.type === 'retry' && r.attrs.id === id);
  const lastCopy = (client, id) => client.seen.messages.filter((n) => n.attrs.id === id).pop();
  const child = (n, tag) => Array.isArray(n.content) && n.content.find((x) => x.tag === tag);
  const forget = (type, id) => b.auth.keys.set({ [type]: { [id]: null } });

  // A's whatsmeow-shaped resend of `message` (id) to B's device after B's retry receipt.
  async function resendLikeWhatsmeow(id, message, attrs) {
    await h.until('A: the retry receipt', () => retryFor(a.client, id));
    const count = child(retryFor(a.client, id), 'retry').attrs.count;
    await new Promise((r) => setTimeout(r, 300));  // Baileys' own (empty-handed) retry handling
    await a.client.sock.assertSessions([b.device], true);
    const { type, ciphertext } = await a.client.sock.signalRepository.encryptMessage({ jid: b.device, data: baileys.encodeWAMessage(message) });
    const content = [{ tag: 'enc', attrs: { v: '2', type, count }, content: ciphertext }];
    if (type === 'pkmsg') content.push({ tag: 'device-identity', attrs: {}, content: baileys.encodeSignedDeviceIdentity(a.auth.creds.account, true) });
    await a.client.sock.sendNode({ tag: 'message', attrs: { id, type: 'text', t: String(Math.floor(Date.now() / 1000)), ...attrs }, content });
    return count;
  }

  // Sessions in both directions first.
  const hello = await a.client.sock.sendMessage(userJid(B), { text: 'hello' });
  await h.until('B: hello', () => upsertOf(b.client, hello.key.id, 'hello'));
  const back = await b.client.sock.sendMessage(userJid(A), { text: 'hello back' });
  await h.until('A: hello back', () => upsertOf(a.client, back.key.id, 'hello back'));

  // 1. Baileys' own resend.
  await forget('session', signalAddress(a.device));
  const first = await a.client.sock.sendMessage(userJid(B), { text: 'retry one' });
  sentByA.set(first.key.id, first.message);
  await h.until('B: retry one after the resend', () => upsertOf(b.client, first.key.id, 'retry one'));
  check(retryFor(a.client, first.key.id).attrs.from === b.device, 'retry receipt not from B\'s device');
  check(lastCopy(b.client, first.key.id).attrs.from === a.device, 'resend not from A\'s device');
  console.log('ok 1 - B\'s retry receipt; Baileys\' resend (device_fanout=false, <participants>) decrypted');

  // 2. whatsmeow's resend: one <enc count> straight in the <message>, to B's device.
  await forget('session', signalAddress(a.device));
  const second = await a.client.sock.sendMessage(userJid(B), { text: 'retry two' });
  const count = await resendLikeWhatsmeow(second.key.id, { conversation: 'retry two' }, { to: b.device, device_fanout: 'false' });
  await h.until('B: retry two after the whatsmeow-shaped resend', () => upsertOf(b.client, second.key.id, 'retry two'));
  const copy = lastCopy(b.client, second.key.id);
  check(copy.attrs.from === a.device && !copy.attrs.device_fanout && !child(copy, 'participants'), `resend attrs ${JSON.stringify(copy.attrs)}`);
  check(child(copy, 'enc').attrs.count === count, `enc count ${child(copy, 'enc').attrs.count} != ${count}`);
  check(a.client.seen.closed === null, 'A was disconnected');
  console.log('ok 2 - whatsmeow-shaped resend (device_fanout=false, one <enc count>) reached B\'s device and decrypted');

  // 3. Group: whatsmeow's resend to=<group> participant=<B device>.
  const group = await a.client.sock.groupCreate('retry', [userJid(B)]);
  const gHello = await a.client.sock.sendMessage(group.id, { text: 'group hello' });
  await h.until('B: group hello', () => upsertOf(b.client, gHello.key.id, 'group hello'));
  await forget('sender-key', `${group.id}::${signalAddress(a.device).replace('.', '::')}`);
  const third = await a.client.sock.sendMessage(group.id, { text: 'group retry' });
  await h.until('B: the undecryptable group message', () => lastCopy(b.client, third.key.id));
  const { senderKeyDistributionMessage } = await a.client.sock.signalRepository.encryptGroupMessage({ group: group.id, meId: a.auth.creds.me.id, data: Buffer.from([0]) });
  const gCount = await resendLikeWhatsmeow(third.key.id, {
    conversation: 'group retry',
    senderKeyDistributionMessage: { groupId: group.id, axolotlSenderKeyDistributionMessage: senderKeyDistributionMessage },
  }, { to: group.id, participant: b.device });
  check(retryFor(a.client, third.key.id).attrs.from === group.id && retryFor(a.client, third.key.id).attrs.participant === b.device,
        `group retry attrs ${JSON.stringify(retryFor(a.client, third.key.id).attrs)}`);
  await h.until('B: group retry after the resend', () => upsertOf(b.client, third.key.id, 'group retry'));
  const gCopy = lastCopy(b.client, third.key.id);
  check(gCopy.attrs.from === group.id && gCopy.attrs.participant === a.device && child(gCopy, 'enc').attrs.count === gCount,
        `group resend ${JSON.stringify(gCopy.attrs)}`);
  const gAfter = await a.client.sock.sendMessage(group.id, { text: 'group after' });
  await h.until('B: the next group message', () => upsertOf(b.client, gAfter.key.id, 'group after'));
  check(a.client.seen.closed === null, 'A was disconnected');
  console.log('ok 3 - group resend (participant=<B device>, one pairwise <enc count> with the SKDM) decrypted');

  // 4. The phone answers a retry receipt.
  const p1 = await sim.control('POST', `/accounts/${A}/send`, { to: B, text: 'phone one' });
  check(p1.status === 202, `phone send: ${p1.status}`);
  await h.until('B: phone one', () => upsertOf(b.client, p1.body.id, 'phone one'));
  await forget('session', signalAddress(userJid(A)));
  const p2 = await sim.control('POST', `/accounts/${A}/send`, { to: B, text: 'phone two' });
  await h.until('B: phone two after the phone\'s resend', () => upsertOf(b.client, p2.body.id, 'phone two'));
  const pCopy = lastCopy(b.client, p2.body.id);
  check(pCopy.attrs.from === userJid(A) && child(pCopy, 'enc').attrs.count === '1', `phone resend ${JSON.stringify(pCopy.attrs)}`);
  const inboxA = (await sim.control('GET', `/accounts/${A}/inbox`)).body;
  check(inboxA.receipts.some((r) => r.id === p2.body.id && r.type === 'retry' && r.from === b.device), 'the phone saw no retry receipt');
  console.log('ok 4 - the simulated phone re-sends to the device that sent a retry receipt');

  // 5. The phone cannot decrypt: a garbage msg from B to A's phone only.
  const badId = `3EB0${crypto.randomBytes(8).toString('hex').toUpperCase()}`;
  sentByB.set(badId, { conversation: 'to the phone' });
  await b.client.sock.sendNode({
    tag: 'message', attrs: { id: badId, to: userJid(A), type: 'text' },
    content: [{ tag: 'participants', attrs: {}, content: [
      { tag: 'to', attrs: { jid: userJid(A) }, content: [{ tag: 'enc', attrs: { v: '2', type: 'msg' }, content: crypto.randomBytes(64) }] }] }],
  });
  await h.until('B: the phone\'s retry receipt', () => retryFor(b.client, badId));
  const phoneRetry = retryFor(b.client, badId);
  check(phoneRetry.attrs.from === userJid(A) && child(phoneRetry, 'retry').attrs.count === '1' &&
        child(phoneRetry, 'registration').content.length === 4, `phone retry ${JSON.stringify(phoneRetry.attrs)}`);
  for (let tries = 0; ; ++tries) {
    const inbox = (await sim.control('GET', `/accounts/${A}/inbox`)).body;
    if (inbox.messages.some((m) => m.id === badId && m.text === 'to the phone')) break;
    check(tries < 300, 'A\'s phone never decrypted the re-sent text');
    await new Promise((r) => setTimeout(r, 50));
  }
  console.log('ok 5 - the simulated phone sends a retry receipt for what it cannot decrypt; the resend decrypts');

  // B's decryption failures are logged at error level on purpose; nothing else may be.
  const errors = [...a.client.seen.errors, ...b.client.seen.errors].filter((e) => !e.includes('failed to decrypt message'));
  check(errors.length === 0, `Baileys errors: ${JSON.stringify(errors)}`);
  a.client.sock.end(undefined);
  b.client.sock.end(undefined);
}

h.run(main, sim);
