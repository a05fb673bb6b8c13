// chorus-sim's simulated phones as Signal endpoints (device 0), with Baileys 6.17.16 companions:
//   1. POST /accounts/A/send: B's companion decrypts A's text, A's companion gets the
//      DeviceSentMessage copy (fromMe); B's delivery receipt reaches A's phone;
//   2. B's companion texts A: A's phone decrypts it (GET /accounts/A/inbox) and sends the
//      delivery receipt; B's phone decrypts the DSM copy (fromMe);
//   3. across a simulator restart the phones' sessions are kept (sim.db): both directions again;
//   4. POST /accounts/A/history-sync: A's companion gets the HISTORY_SYNC_NOTIFICATION, answers
//      with a hist_sync receipt, and the blob downloads from the HTTPS media host (test CA) and
//      decrypts (Baileys' getMediaKeys, MAC and hashes checked) to the HistorySync we sent;
//   5. read receipts: POST /accounts/A/read sends B one receipt (first id, the rest in <list>)
//      that Baileys turns into status READ for each message, and nothing on a second call; B
//      reads two of the phone's messages with readMessages and the phone's inbox lists both ids.
// Usage: node sim_phone_test.js --sim PATH/chorus-sim   (CHORUS_NODE_MODULES = Baileys' node_modules)
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const https = require('https');
const zlib = require('zlib');
const h = require('./sim_harness');

const { fail, check, userJid, textOf } = h;
const { sim, baileys } = h.startTest({ tag: 'phone' });

const A = '15550004001';
const B = '15550004002';
const socket = { shouldSyncHistoryMessage: () => false };

async function upserted(client, id, what) {
  await h.until(`${what}: decrypted`, () => client.seen.upserts.some((m) => m.key.id === id));
  return client.seen.upserts.find((m) => m.key.id === id);
}

async function inboxOf(phone) {
  const r = await sim.control('GET', `/accounts/${phone}/inbox`);
  check(r.status === 200, `GET inbox ${phone}: ${r.status}`);
  return r.body;
}

async function phoneGot(phone, id, what) {
  let entry;
  const start = Date.now();
  while (!entry) {
    entry = (await inboxOf(phone)).messages.find((m) => m.id === id);
    if (!entry && Date.now() - start > 10000) fail(`${what}: not in ${phone}'s inbox`);
    if (!entry) await new Promise((r) => setTimeout(r, 50));
  }
  return entry;
}

async function phoneReceipt(phone, id, type, what) {
  const start = Date.now();
  for (;;) {
    const receipts = (await inboxOf(phone)).receipts;
    if (receipts.some((r) => r.id === id && (type === undefined ? (!r.type || r.type === 'inactive') : r.type === type))) return;
    if (Date.now() - start > 10000) fail(`${what}: no receipt at ${phone}: ${JSON.stringify(receipts)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function phoneSends(from, to, text) {
  const r = await sim.control('POST', `/accounts/${from}/send`, { to, text });
  check(r.status === 202 && r.body.id, `send ${from} → ${to}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.id;
}

function httpsGet(url, ca) {
  return new Promise((resolve, reject) => {
    https.get(url, { ca }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

async function main() {
  await sim.start();
  for (const phone of [A, B]) check((await sim.control('POST', '/accounts', { phone })).status === 201, `account ${phone}`);
  const a = await h.pairClient(baileys, sim, A, { socket });
  const b = await h.pairClient(baileys, sim, B, { socket });

  // 1. The phone sends.
  const id1 = await phoneSends(A, B, 'hello from the phone of A');
  const m1 = await upserted(b.client, id1, 'phone A → B');
  check(textOf(m1) === 'hello from the phone of A' && !m1.key.fromMe && m1.key.remoteJid === userJid(A),
        `B got ${JSON.stringify(m1.key)} ${JSON.stringify(m1.message)}`);
  const c1 = await upserted(a.client, id1, 'phone A → own companion (DSM)');
  check(c1.key.fromMe && c1.key.remoteJid === userJid(B) && textOf(c1) === 'hello from the phone of A',
        `A's companion got ${JSON.stringify(c1.key)} ${JSON.stringify(c1.message)}`);
  await phoneReceipt(A, id1, undefined, 'B → phone A delivery receipt');
  console.log('ok 1 - the phone sends: peer and own companion decrypt; delivery receipt to the phone');

  // 2. A companion texts a phone.
  const sent2 = await b.client.sock.sendMessage(userJid(A), { text: 'hi phone A' });
  const e2 = await phoneGot(A, sent2.key.id, 'B → phone A');
  check(e2.text === 'hi phone A' && !e2.fromMe && e2.chat === userJid(B), `phone A inbox entry ${JSON.stringify(e2)}`);
  await h.until('B: phone A delivery receipt', () => b.client.seen.receipts.some((r) => r.attrs.id === sent2.key.id && r.attrs.from === userJid(A)));
  const own2 = await phoneGot(B, sent2.key.id, 'B → own phone (DSM)');
  check(own2.fromMe && own2.chat === userJid(A) && own2.text === 'hi phone A', `phone B inbox entry ${JSON.stringify(own2)}`);
  console.log('ok 2 - a companion texts a phone: decrypted, delivery receipt; own phone decrypts the DSM');

  // 3. Sessions survive a restart.
  a.client.sock.end(undefined);
  b.client.sock.end(undefined);
  await sim.stop();
  await sim.start();
  const a2 = h.connect(baileys, sim.info, a.auth, { socket });
  const b2 = h.connect(baileys, sim.info, b.auth, { socket });
  await h.until('A and B open again', () => a2.seen.open && b2.seen.open);
  const sent3 = await b2.sock.sendMessage(userJid(A), { text: 'after the restart' });
  const e3 = await phoneGot(A, sent3.key.id, 'B → phone A after a restart');
  check(e3.text === 'after the restart', `after restart ${JSON.stringify(e3)}`);
  const id3 = await phoneSends(A, B, 'phone A after the restart');
  const m3 = await upserted(b2, id3, 'phone A → B after a restart');
  check(textOf(m3) === 'phone A after the restart', `B got ${JSON.stringify(m3.message)}`);
  console.log('ok 3 - phone sessions kept across a restart (both directions)');

  // 4. History sync.
  const history = {
    conversations: [{ id: B, name: 'Bea', messages: [{ fromMe: false, text: 'old hello', timestamp: 1700000000 },
                                                      { fromMe: true, text: 'old reply', timestamp: 1700000060 }] }],
    pushnames: [{ id: B, name: 'Bea' }],
  };
  const hs = await sim.control('POST', `/accounts/${A}/history-sync`, history);
  check(hs.status === 202 && hs.body.id && hs.body.url, `history-sync: ${hs.status} ${JSON.stringify(hs.body)}`);
  const n4 = await upserted(a2, hs.body.id, 'history sync notification');
  const pm = n4.message.protocolMessage;
  check(n4.key.fromMe && pm && pm.type === 5 && pm.historySyncNotification, `notification ${JSON.stringify(n4.message)}`);
  const hsn = pm.historySyncNotification;
  check(hsn.directPath === hs.body.direct_path && hsn.syncType === 0, `notification fields ${JSON.stringify(hsn)}`);
  await phoneReceipt(A, hs.body.id, 'hist_sync', 'hist_sync receipt');

  const blob = await httpsGet(new URL(hsn.directPath, sim.info.media).toString(), fs.readFileSync(sim.info.ca));
  check(blob.status === 200, `blob download: ${blob.status}`);
  const eq = (x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)) === 0;
  check(eq(crypto.createHash('sha256').update(blob.body).digest(), hsn.fileEncSha256), 'fileEncSha256 mismatch');
  const keys = await baileys.getMediaKeys(hsn.mediaKey, 'md-msg-hist');
  const ct = blob.body.subarray(0, blob.body.length - 10);
  const mac = crypto.createHmac('sha256', keys.macKey).update(Buffer.concat([keys.iv, ct])).digest().subarray(0, 10);
  check(eq(mac, blob.body.subarray(blob.body.length - 10)), 'media MAC mismatch');
  const decipher = crypto.createDecipheriv('aes-256-cbc', keys.cipherKey, keys.iv);
  const plain = Buffer.concat([decipher.update(ct), decipher.final()]);
  check(eq(crypto.createHash('sha256').update(plain).digest(), hsn.fileSha256) && plain.length === Number(hsn.fileLength), 'fileSha256/fileLength mismatch');
  const sync = baileys.proto.HistorySync.decode(zlib.inflateSync(plain));
  const conv = sync.conversations[0];
  check(sync.syncType === 0 && sync.conversations.length === 1 && conv.id === userJid(B) && conv.name === 'Bea', `HistorySync ${JSON.stringify(sync)}`);
  const msgs = conv.messages.map((m) => m.message);
  check(msgs.length === 2 && msgs[0].message.conversation === 'old hello' && !msgs[0].key.fromMe &&
        msgs[1].key.fromMe && msgs[1].message.conversation === 'old reply' && Number(msgs[1].messageTimestamp) === 1700000060,
        `history messages ${JSON.stringify(msgs)}`);
  check(sync.pushnames.length === 1 && sync.pushnames[0].pushname === 'Bea', `pushnames ${JSON.stringify(sync.pushnames)}`);
  console.log('ok 4 - history sync: notification, hist_sync receipt, blob downloads (HTTPS) and decrypts to what was sent');

  // 5. Read receipts: the phone reads a chat (POST /accounts/A/read), a companion reads the
  //    phone's messages (Baileys readMessages: one receipt, the second id in its <list>).
  const updates = [];
  b2.sock.ev.on('messages.update', (list) => updates.push(...list));
  const r5a = await b2.sock.sendMessage(userJid(A), { text: 'read me 1' });
  const r5b = await b2.sock.sendMessage(userJid(A), { text: 'read me 2' });
  for (const s of [r5a, r5b]) {
    const e = await phoneGot(A, s.key.id, 'B → phone A (to be read)');
    check(e.read === false, `unread entry ${JSON.stringify(e)}`);
  }
  await new Promise((r) => setTimeout(r, 300));
  check(!b2.seen.receipts.some((r) => r.attrs.type === 'read'), 'B got a read receipt before the phone read the chat');
  const read5 = await sim.control('POST', `/accounts/${A}/read`, { chat: userJid(B) });
  const expected = [sent3.key.id, r5a.key.id, r5b.key.id];
  check(read5.status === 200 && JSON.stringify(read5.body.read) === JSON.stringify(expected),
        `POST read: ${read5.status} ${JSON.stringify(read5.body)} (expected ${JSON.stringify(expected)})`);
  await h.until('B: messages.update status 4 (READ) for the three',
                () => expected.every((id) => updates.some((u) => u.key.id === id && u.update.status === 4)));
  const raw5 = b2.seen.receipts.filter((r) => r.attrs.type === 'read');
  check(raw5.length === 1 && raw5[0].attrs.from === userJid(A) && raw5[0].attrs.id === expected[0] && raw5[0].attrs.t,
        `read receipt attrs ${JSON.stringify(raw5.map((r) => r.attrs))}`);
  const items = raw5[0].content[0].content.map((i) => i.attrs.id);
  check(raw5[0].content[0].tag === 'list' && JSON.stringify(items) === JSON.stringify(expected.slice(1)), `read receipt <list> ${JSON.stringify(items)}`);
  const inbox5 = (await inboxOf(A)).messages.filter((m) => expected.includes(m.id));
  check(inbox5.length === 3 && inbox5.every((m) => m.read === true), `inbox after reading ${JSON.stringify(inbox5)}`);
  const again5 = await sim.control('POST', `/accounts/${A}/read`, { chat: B });
  check(again5.status === 200 && again5.body.read.length === 0, `second read: ${JSON.stringify(again5.body)}`);
  check((await sim.control('POST', `/accounts/${A}/read`, { chat: 'not a chat' })).status === 400, 'malformed chat: 400');
  check((await sim.control('POST', '/accounts/15559999999/read', { chat: B })).status === 404, 'unknown account: 404');
  console.log('ok 5a - POST read: one read receipt (first id + <list>), Baileys marks all three READ; nothing twice');

  const p5a = await phoneSends(A, B, 'read by B 1');
  const p5b = await phoneSends(A, B, 'read by B 2');
  const m5a = await upserted(b2, p5a, 'phone A → B (1)');
  const m5b = await upserted(b2, p5b, 'phone A → B (2)');
  await b2.sock.readMessages([m5a.key, m5b.key]);
  await phoneReceipt(A, p5a, 'read', 'B read receipt (id)');
  await phoneReceipt(A, p5b, 'read', 'B read receipt (<list> item)');
  console.log('ok 5b - a companion reads the phone\'s two messages: the phone records both ids (id and <list>)');

  a2.sock.end(undefined);
  b2.sock.end(undefined);
}

h.run(main, sim);
