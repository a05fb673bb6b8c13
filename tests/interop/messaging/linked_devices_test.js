// One number, two linked devices: Chorus (chorus-cli, device A:1) and a Baileys 6.17.16 client
// linked to the same sim account afterwards (A:2); the peer is a Baileys client on B:
//   1. Chorus → B before A:2 exists (Chorus learns its own device list: the phone only);
//   2. A:2 is linked; Chorus → B again, then 20 more with `send --stdin`: A:2 gets every one as
//      the sent copy (DeviceSentMessage: Baileys upserts it with key.fromMe = true and
//      remoteJid = B) exactly once, with its text; B gets each exactly once; A's simulated phone
//      decrypts the copies too (inbox, fromMe);
//   3. B → A reaches both of A's devices: Chorus's listen prints it once, A:2 upserts it;
//   4. A:2 (Baileys) → B: Chorus gets the sent copy and stores it as its own (direction out, chat
//      B), once; `messages` holds every message of the chat exactly once.
'use strict';
const h = require('./harness');

const { check, userJid, textOf, exactlyOnce } = h;
const { sim, baileys, root, cliPath } = h.startTest({ tag: 'linked', timeoutMs: 110000 });
const [A, B] = ['15550073001', '15550073002'];
const N = 20;

async function main() {
  await sim.start();
  for (const phone of [A, B]) {
    const r = await sim.control('POST', '/accounts', { phone });
    check(r.status === 201, `POST /accounts ${phone}: ${r.status}`);
  }
  const chorus = new h.Chorus(cliPath, sim, `${root}/chorus-a`);
  const aDevice = await chorus.link('A', A);
  const b = await h.baileysClient(baileys, sim, B);

  // 1. Before the second device exists.
  const before = await chorus.run(['send', 'A', B, 'before the second device', '--wait', 'delivered']);
  const beforeId = before.events('queued')[0].id;
  await h.until('B: the first message', () => h.received(b).some((m) => m.key.id === beforeId));
  h.log(`ok 1 - Chorus (${aDevice}) → B while it is A's only companion`);

  // 2. A second device on the same number; Chorus's messages reach it as sent copies.
  const a2 = await h.baileysClient(baileys, sim, A);
  check(a2.device !== aDevice && a2.device.startsWith(`${A}:`), `A's second device is ${a2.device}`);
  const one = await chorus.run(['send', 'A', B, 'after the second device', '--wait', 'delivered']);
  const oneId = one.events('queued')[0].id;
  const texts = h.texts('copy for the other device', N);
  const batch = chorus.sendMany(B, texts, { wait: 'delivered', timeout: 60 });
  check(await batch.exit(65000) === 0, `send --stdin\n${batch.transcript()}`);
  const ids = batch.events('queued').map((l) => l.id);
  check(ids.length === N && new Set(ids).size === N, `${ids.length} queued ids`);
  const allIds = [oneId, ...ids];
  const allTexts = ['after the second device', ...texts];
  const copies = () => h.received(a2).filter((m) => allIds.includes(m.key.id));
  await h.until(`A:2: ${allIds.length} sent copies`, () => new Set(copies().map((m) => m.key.id)).size === allIds.length, 30000);
  await h.until(`B: ${allIds.length} messages`, () => allIds.every((id) => h.received(b).some((m) => m.key.id === id)), 30000);
  await h.sleep(500);
  exactlyOnce('A:2: sent copies', copies().map((m) => m.key.id), allIds);
  for (const [i, id] of allIds.entries()) {
    const m = copies().find((x) => x.key.id === id);
    check(m.key.fromMe === true && m.key.remoteJid === userJid(B) && textOf(m) === allTexts[i],
          `A:2 got ${JSON.stringify(m.key)} ${JSON.stringify(m.message)} for "${allTexts[i]}"`);
    const raw = a2.seen.messages.filter((n) => n.attrs.id === id);
    check(raw.length === 1 && raw[0].attrs.from === aDevice && raw[0].attrs.recipient === userJid(B), `A:2 raw copy ${JSON.stringify(raw.map((n) => n.attrs))}`);
  }
  check(!h.received(a2).some((m) => m.key.id === beforeId), 'A:2 got a copy of a message sent before it was linked');
  exactlyOnce('B: messages from Chorus', h.received(b).filter((m) => m.key.remoteJid === userJid(A)).map((m) => m.key.id), [beforeId, ...allIds]);
  const inbox = (await sim.control('GET', `/accounts/${A}/inbox`)).body;
  for (const id of allIds) {
    check(inbox.messages.some((m) => m.id === id && m.fromMe === true && m.chat === userJid(B)), `A's phone has no sent copy of ${id}: ${JSON.stringify(inbox.messages.slice(-3))}`);
  }
  h.log(`ok 2 - A:2 (${a2.device}) linked later got all ${allIds.length} of Chorus's messages as sent copies (fromMe, remoteJid B), once each; so did A's phone`);

  // 3. B → A reaches both of A's devices.
  const listen = h.followListen(chorus);
  await listen.ready();
  const fromB = await b.send(userJid(A), 'to both of your devices');
  await listen.until('listen: B\'s message', (r) => r.messagesById().has(fromB.key.id));
  await h.until('A:2: B\'s message', () => h.received(a2).some((m) => m.key.id === fromB.key.id && textOf(m) === 'to both of your devices' && !m.key.fromMe));

  // 4. A:2 → B: Chorus gets the sent copy.
  const fromA2 = await a2.send(userJid(B), 'sent from the other device');
  await h.until('B: A:2\'s message', () => h.received(b).some((m) => m.key.id === fromA2.key.id));
  await listen.until('listen: the sent copy from A:2', (r) => r.messagesById().has(fromA2.key.id), 20000);
  await h.sleep(500);
  exactlyOnce('listen: messages', listen.events('message').map((l) => l.id), [fromB.key.id, fromA2.key.id]);
  const copyLine = listen.events('message').find((l) => l.id === fromA2.key.id);
  check(copyLine.chat === userJid(B) && copyLine.text === 'sent from the other device' &&
        (copyLine.from === '' || copyLine.from.split(/[:@]/)[0] === A),  // our own: no author, like `messages`' out lines
        `listen printed the sent copy as ${JSON.stringify(copyLine)}`);
  check(await listen.stop() === 0, `listen did not stop cleanly\n${listen.transcript()}`);
  const stored = await chorus.messages(userJid(B));
  exactlyOnce('messages A B', stored.map((m) => m.id), [beforeId, ...allIds, fromB.key.id, fromA2.key.id]);
  const copy = stored.find((m) => m.id === fromA2.key.id);
  check(copy.direction === 'out' && copy.text === 'sent from the other device', `stored sent copy ${JSON.stringify(copy)}`);
  check(stored.find((m) => m.id === fromB.key.id).direction === 'in', 'B\'s message not stored as incoming');
  for (const x of [a2, b]) check(x.seen.errors.length === 0, `Baileys ${x.phone} logged errors: ${x.seen.errors.join('; ')}`);
  h.log('ok 3 - B → A reached Chorus and A:2; ok 4 - A:2 → B reached Chorus as its own sent message (out), once');
}

h.run(main, sim);
