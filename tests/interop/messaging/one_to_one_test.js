// Chorus (chorus-cli, account A) ↔ Baileys 6.17.16 (accounts B and C), 1:1, through chorus-sim:
//   1. Chorus → B, the first message: B receives a pkmsg from Chorus's device (with
//      <device-identity>) and decrypts it; `send --wait delivered` sees B's delivery receipt;
//   2. C → Chorus, C's first message: Baileys encrypted a pkmsg for Chorus's device; B → Chorus
//      on the session Chorus started: a msg. `listen` prints both once; B and C get Chorus's
//      delivery receipts; B reads Chorus's first message and `listen` prints it as read;
//   3. B → Chorus, 200 msgs: `listen` prints each id exactly once; B gets a delivery receipt for
//      each; `read` sends read receipts for all of B's 201 messages;
//   4. Chorus → B, 200 messages with `send --stdin --wait read` while B reads what it gets: each
//      id arrives at B exactly once (as msg) with its text; every one reaches read;
//   5. Chorus replies to C (its first message to C rides C's session: msg); C's next message to
//      Chorus is then a msg too;
//   6. `messages` holds every message of both chats exactly once, in and out, with the final
//      status (read for Chorus's messages to B).
'use strict';
const h = require('./harness');

const { check, userJid, textOf, exactlyOnce } = h;
const { sim, baileys, root, cliPath } = h.startTest({ tag: 'one-to-one', timeoutMs: 110000 });
const [A, B, C] = ['15550071001', '15550071002', '15550071003'];
const N = 200;

const rawOf = (client, id) => client.seen.messages.filter((n) => n.attrs.id === id);
const encOf = (node) => node.content.find((c) => c.tag === 'enc');

async function main() {
  await sim.start();
  for (const phone of [A, B, C]) {
    const r = await sim.control('POST', '/accounts', { phone });
    check(r.status === 201, `POST /accounts ${phone}: ${r.status}`);
  }
  const chorus = new h.Chorus(cliPath, sim, `${root}/chorus-a`);
  const aDevice = await chorus.link('A', A);
  const b = await h.baileysClient(baileys, sim, B);
  const c = await h.baileysClient(baileys, sim, C);
  h.log(`linked: Chorus ${aDevice}, Baileys ${b.device} and ${c.device}`);

  // 1. The first message Chorus → B.
  const first = await chorus.run(['send', 'A', B, 'hello B, this is Chorus', '--wait', 'delivered']);
  check(first.events('queued').length === 1 && first.events('delivered').length === 1, `send: ${first.transcript()}`);
  const firstId = first.events('queued')[0].id;
  check(first.events('delivered')[0].id === firstId, 'delivered a different id');
  await h.until('B: the first message', () => h.received(b).some((m) => m.key.id === firstId));
  const [n1] = rawOf(b, firstId);
  check(n1.attrs.from === aDevice && encOf(n1).attrs.type === 'pkmsg' && n1.content.some((x) => x.tag === 'device-identity'),
        `first message at B: ${JSON.stringify(n1.attrs)} enc ${encOf(n1).attrs.type}`);
  const m1 = h.received(b).find((m) => m.key.id === firstId);
  check(textOf(m1) === 'hello B, this is Chorus' && !m1.key.fromMe && m1.key.remoteJid === userJid(A), `B got ${JSON.stringify(m1.key)} ${JSON.stringify(m1.message)}`);
  h.log('ok 1 - Chorus → B: pkmsg with device-identity, decrypted by Baileys; delivery receipt seen by send --wait delivered');

  // 2. C's first message to Chorus (pkmsg), B's first (msg), receipts.
  const listen = h.followListen(chorus);
  await listen.ready();
  const fromC = await c.send(userJid(A), 'hello Chorus, this is C');
  const fromB = await b.send(userJid(A), 'hello Chorus, this is B');
  await listen.until('listen: the messages of B and C', (r) => r.messagesById().has(fromC.key.id) && r.messagesById().has(fromB.key.id));
  const encFor = (client, device) => client.encs.filter((e) => e.jid === device).map((e) => e.type);
  check(encFor(c, aDevice).join() === 'pkmsg', `C encrypted for Chorus: ${encFor(c, aDevice)}`);
  check(encFor(b, aDevice).join() === 'msg', `B encrypted for Chorus: ${encFor(b, aDevice)}`);
  const lineC = listen.events('message').find((l) => l.id === fromC.key.id);
  const lineB = listen.events('message').find((l) => l.id === fromB.key.id);
  check(lineC.chat === userJid(C) && lineC.text === 'hello Chorus, this is C' && lineC.kind === 'text' && lineC.from.startsWith(C),
        `listen printed ${JSON.stringify(lineC)}`);
  check(lineB.chat === userJid(B) && lineB.text === 'hello Chorus, this is B' && lineB.kind === 'text', `listen printed ${JSON.stringify(lineB)}`);
  await h.until('B and C: Chorus\'s delivery receipts', () => (h.receiptsFrom(b, aDevice).get(fromB.key.id) || new Set()).has('') &&
                                                          (h.receiptsFrom(c, aDevice).get(fromC.key.id) || new Set()).has(''));
  await b.sock.readMessages([m1.key]);
  await listen.until('listen: Chorus\'s first message read by B', (r) => r.statusOf(firstId) === 'read');
  h.log('ok 2 - C → Chorus pkmsg and B → Chorus msg printed by listen; delivery receipts to B and C; B\'s read receipt in listen');

  // 3. 200 messages B → Chorus.
  const bTexts = h.texts('B to Chorus', N);
  const bIds = [];
  const t3 = Date.now();
  for (const text of bTexts) bIds.push((await b.send(userJid(A), text)).key.id);
  await listen.until(`listen: ${N} messages from B`, (r) => bIds.every((id) => r.messagesById().has(id)), 60000);
  await h.until('B: delivery receipts for all', () => { const got = h.receiptsFrom(b, aDevice); return bIds.every((id) => got.has(id) && got.get(id).has('')); }, 30000);
  await h.sleep(500);  // anything doubled would come now
  const fromBLines = listen.events('message').filter((l) => l.chat === userJid(B));
  exactlyOnce('listen: B\'s messages', fromBLines.map((l) => l.id), [fromB.key.id, ...bIds]);
  for (const [i, id] of bIds.entries()) {
    const l = fromBLines.find((x) => x.id === id);
    check(l.text === bTexts[i] && l.kind === 'text', `listen: ${id} printed ${JSON.stringify(l)}, sent ${bTexts[i]}`);
  }
  check(encFor(b, aDevice).every((t) => t === 'msg'), 'B encrypted a pkmsg for Chorus after its session existed');
  check(await listen.stop() === 0, `listen did not stop cleanly\n${listen.transcript()}`);
  h.log(`ok 3 - ${N} messages B → Chorus in ${((Date.now() - t3) / 1000).toFixed(1)} s: each printed once, each delivery-receipted`);

  const read = await chorus.run(['read', 'A', userJid(B)]);
  await h.until('B: Chorus\'s read receipts for all', () => {
    const got = h.receiptsFrom(b, aDevice);
    return [fromB.key.id, ...bIds].every((id) => got.has(id) && got.get(id).has('read'));
  }, 20000);
  h.log(`ok 3b - read: B got read receipts for its ${N + 1} messages (${read.lines.length} lines printed)`);

  // 4. 200 messages Chorus → B; B reads each as it arrives.
  b.sock.ev.on('messages.upsert', ({ messages }) => {
    const keys = messages.filter((m) => !m.key.fromMe && m.key.remoteJid === userJid(A) && m.message).map((m) => m.key);
    if (keys.length) b.sock.readMessages(keys).catch((e) => h.fail(`readMessages: ${e}`));
  });
  const aTexts = h.texts('Chorus to B', N);
  const t4 = Date.now();
  const batch = chorus.sendMany(B, aTexts, { wait: 'read', timeout: 90 });
  const code = await batch.exit(95000);
  check(code === 0, `send --stdin --wait read\n${batch.transcript()}`);
  const aIds = batch.events('queued').map((l) => l.id);
  check(aIds.length === N && new Set(aIds).size === N, `${aIds.length} queued ids, ${new Set(aIds).size} distinct`);
  exactlyOnce('send: read events', batch.events('read').map((l) => l.id), aIds);
  await h.sleep(500);
  const atB = h.received(b).filter((m) => m.key.remoteJid === userJid(A) && m.key.id !== firstId);
  exactlyOnce('B: messages from Chorus', atB.map((m) => m.key.id), aIds);
  check(atB.map((m) => m.key.id).join() === aIds.join(), 'B: Chorus\'s messages arrived out of order');
  for (const [i, id] of aIds.entries()) {
    check(textOf(atB.find((m) => m.key.id === id)) === aTexts[i], `B: ${id} is not "${aTexts[i]}"`);
    const raw = rawOf(b, id);
    check(raw.length === 1 && raw[0].attrs.from === aDevice && encOf(raw[0]).attrs.type === 'msg', `B: ${id} came as ${JSON.stringify(raw.map((n) => [n.attrs.from, encOf(n).attrs.type]))}`);
  }
  h.log(`ok 4 - ${N} messages Chorus → B in ${((Date.now() - t4) / 1000).toFixed(1)} s: each decrypted once (msg), in order of ids, all read`);

  // 5. Chorus replies to C, then C's next message is a msg.
  const reply = await chorus.run(['send', 'A', C, 'hello C', '--wait', 'delivered']);
  const replyId = reply.events('queued')[0].id;
  await h.until('C: the reply', () => h.received(c).some((m) => m.key.id === replyId && textOf(m) === 'hello C'));
  check(encOf(rawOf(c, replyId)[0]).attrs.type === 'msg', `Chorus's reply to C came as ${encOf(rawOf(c, replyId)[0]).attrs.type}`);
  const listen2 = h.followListen(chorus);
  await listen2.ready();
  const fromC2 = await c.send(userJid(A), 'second from C');
  await listen2.until('listen: C\'s second message', (r) => r.messagesById().has(fromC2.key.id));
  check(encFor(c, aDevice).join() === 'pkmsg,msg', `C encrypted for Chorus: ${encFor(c, aDevice)}`);
  await h.sleep(300);
  exactlyOnce('second listen: messages', listen2.events('message').map((l) => l.id), [fromC2.key.id]);
  check(await listen2.stop() === 0, `listen did not stop cleanly\n${listen2.transcript()}`);
  h.log('ok 5 - Chorus → C on C\'s session: msg; C → Chorus afterwards: msg; no message printed twice across listens');

  // 6. The store.
  const withB = await chorus.messages(userJid(B));
  exactlyOnce('messages A B: out', withB.filter((m) => m.direction === 'out').map((m) => m.id), [firstId, ...aIds]);
  exactlyOnce('messages A B: in', withB.filter((m) => m.direction === 'in').map((m) => m.id), [fromB.key.id, ...bIds]);
  const notRead = withB.filter((m) => m.direction === 'out' && m.status !== 'read');
  check(notRead.length === 0, `messages A B: not read: ${JSON.stringify(notRead.slice(0, 3))}`);
  for (const [i, id] of aIds.entries()) check(withB.find((m) => m.id === id).text === aTexts[i], `messages A B: text of ${id}`);
  const order = (ids) => withB.filter((m) => ids.includes(m.id)).map((m) => m.id).join();
  check(order(aIds) === aIds.join() && order(bIds) === bIds.join(), 'messages A B: not oldest first');
  for (const [i, id] of bIds.entries()) check(withB.find((m) => m.id === id).text === bTexts[i], `messages A B: text of ${id}`);
  const withC = await chorus.messages(userJid(C));
  exactlyOnce('messages A C', withC.map((m) => m.id), [fromC.key.id, replyId, fromC2.key.id]);
  for (const x of [b, c]) check(x.seen.errors.length === 0, `Baileys ${x.phone} logged errors: ${x.seen.errors.join('; ')}`);
  h.log(`ok 6 - messages: ${withB.length} in the chat with B, ${withC.length} with C, each once; all of Chorus's read`);
  b.sock.end(undefined);
  c.sock.end(undefined);
}

h.run(main, sim);
