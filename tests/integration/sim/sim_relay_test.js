// chorus-sim message relay between two Baileys 6.17.16 clients of different accounts:
//   1. A and B are linked through the control API and open;
//   2. A → B: B receives the text from a pkmsg (prekey bundle fetched, one-time prekey handed
//      out once), A gets the server ack and B's delivery receipt;
//   3. B → A: A receives the text; A → B again arrives as a msg (established session); receipts;
//   4. B goes offline; A sends; the simulator restarts; B logs in and gets the queued message
//      (offline) before <ib><offline count="1"/>; its ack empties its queue; A gets the receipt.
// Usage: node sim_relay_test.js --sim PATH/chorus-sim   (CHORUS_NODE_MODULES = Baileys' node_modules)
'use strict';
const h = require('./sim_harness');

const { check, userJid, textOf } = h;
const { sim, baileys } = h.startTest({ tag: 'relay' });

const A = '15550002001';
const B = '15550002002';

// Waits until `to` has decrypted a message with `id` and returns [upserted message, raw node].
async function received(to, id, what) {
  await h.until(`${what}: decrypted`, () => to.seen.upserts.some((m) => m.key.id === id));
  const node = to.seen.messages.find((n) => n.attrs.id === id);
  return [to.seen.upserts.find((m) => m.key.id === id), node];
}

const encType = (node) => node.content.find((c) => c.tag === 'enc').attrs.type;

// A delivery receipt: no type, or "inactive" (Baileys with markOnlineOnConnect false, §9.6).
async function deliveredTo(from, id, what) {
  await h.until(`${what}: delivery receipt`,
                () => from.seen.receipts.some((r) => r.attrs.id === id && (!r.attrs.type || r.attrs.type === 'inactive')));
}

async function devicesOf(phone) {
  return (await sim.control('GET', '/devices')).body.filter((d) => d.phone === phone);
}

async function main() {
  await sim.start();
  for (const phone of [A, B]) {
    const r = await sim.control('POST', '/accounts', { phone });
    check(r.status === 201, `POST /accounts ${phone}: ${r.status}`);
  }
  const a = await h.pairClient(baileys, sim, A);
  const b = await h.pairClient(baileys, sim, B);
  check((await devicesOf(B))[0].prekeys === 30, 'B has not 30 prekeys on the server');
  console.log('ok 1 - A and B linked and open');

  // 2. A → B (pkmsg).
  const sent1 = await a.client.sock.sendMessage(userJid(B), { text: 'hello B' });
  const [m1, n1] = await received(b.client, sent1.key.id, 'A → B');
  check(textOf(m1) === 'hello B' && !m1.key.fromMe, `B got ${JSON.stringify(m1.message)}`);
  check(n1.attrs.from === a.device && encType(n1) === 'pkmsg' && n1.content.some((c) => c.tag === 'device-identity'),
        `first message node ${JSON.stringify(n1.attrs)} enc ${encType(n1)}`);
  await deliveredTo(a.client, sent1.key.id, 'A → B');
  check((await devicesOf(B))[0].prekeys === 29, 'the one-time prekey was not handed out exactly once');
  console.log('ok 2 - A → B: pkmsg decrypted by B; delivery receipt to A');

  // 3. B → A, then A → B again.
  const sent2 = await b.client.sock.sendMessage(userJid(A), { text: 'hello A' });
  const [m2, n2] = await received(a.client, sent2.key.id, 'B → A');
  check(textOf(m2) === 'hello A' && n2.attrs.from === b.device, `A got ${JSON.stringify(m2.message)} from ${n2.attrs.from}`);
  check(encType(n2) === 'msg', `B → A on B's receiving session should be msg, was ${encType(n2)}`);
  await deliveredTo(b.client, sent2.key.id, 'B → A');
  const sent3 = await a.client.sock.sendMessage(userJid(B), { text: 'second to B' });
  const [m3, n3] = await received(b.client, sent3.key.id, 'A → B again');
  check(textOf(m3) === 'second to B' && encType(n3) === 'msg', `second A → B: ${textOf(m3)} as ${encType(n3)}`);
  await deliveredTo(a.client, sent3.key.id, 'A → B again');
  for (const c of [a.client, b.client]) check(c.seen.errors.length === 0, `Baileys logged errors: ${c.seen.errors.join('; ')}`);
  console.log('ok 3 - B → A and A → B again as msg; delivery receipts both ways');

  // 4. Offline delivery across a simulator restart.
  b.client.sock.end(undefined);
  await new Promise((r) => setTimeout(r, 300));
  const sent4 = await a.client.sock.sendMessage(userJid(B), { text: 'while you were away' });
  await new Promise((r) => setTimeout(r, 300));
  check((await devicesOf(B))[0].queued === 1, `B's queue ${JSON.stringify(await devicesOf(B))}`);
  a.client.sock.end(undefined);
  await sim.stop();
  await sim.start();
  const a2 = h.connect(baileys, sim.info, a.auth);
  await h.until('A open again', () => a2.seen.open);
  const b2 = h.connect(baileys, sim.info, b.auth);
  await h.until('B open again', () => b2.seen.open);
  const [m4, n4] = await received(b2, sent4.key.id, 'queued A → B');
  check(textOf(m4) === 'while you were away' && n4.attrs.offline, `offline message ${JSON.stringify(n4.attrs)}`);
  const offline = b2.seen.offline.content.find((c) => c.tag === 'offline');
  check(offline.attrs.count === '1', `offline count ${offline.attrs.count}`);
  const order = b2.seen.order;
  check(order.indexOf(`message:${sent4.key.id}`) >= 0 && order.indexOf(`message:${sent4.key.id}`) < order.indexOf('ib:offline'),
        `queued message not before <ib><offline>: ${order.join(', ')}`);
  await deliveredTo(a2, sent4.key.id, 'queued A → B');
  await new Promise((r) => setTimeout(r, 300));
  check((await devicesOf(B))[0].queued === 0, `B's queue after the ack ${JSON.stringify(await devicesOf(B))}`);
  a2.sock.end(undefined);
  b2.sock.end(undefined);
  console.log('ok 4 - queued while offline, kept across a restart, delivered before <ib><offline count="1">, acked');
}

h.run(main, sim);
