// chorus-sim presence, chat state and retry receipts with two Baileys 6.17.16 clients:
//   1. B subscribes to A (presenceSubscribe) and at once learns A is unavailable; A goes
//      available, types (composing), pauses and goes unavailable: B sees each presence.update;
//   2. a retry receipt from B (sock.sendNode: <retry>, <registration>, <keys>) reaches A's
//      sending device whole, from B's device; A re-sends the message (getMessage) and B gets it
//      again;
//   3. A's connection ends while A is available: B sees A unavailable.
// Usage: node sim_presence_test.js --sim PATH/chorus-sim   (CHORUS_NODE_MODULES = Baileys' node_modules)
'use strict';
const crypto = require('crypto');
const h = require('./sim_harness');

const { check, userJid } = h;
const { sim, baileys } = h.startTest({ tag: 'presence' });

const [A, B] = ['15550004001', '15550004002'];

async function main() {
  await sim.start();
  for (const phone of [A, B]) {
    const r = await sim.control('POST', '/accounts', { phone });
    check(r.status === 201, `POST /accounts ${phone}: ${r.status}`);
  }
  const sentByA = new Map();
  const a = await h.pairClient(baileys, sim, A, { socket: { getMessage: async (key) => sentByA.get(key.id) } });
  const b = await h.pairClient(baileys, sim, B);
  const updates = [];
  b.client.sock.ev.on('presence.update', (u) => updates.push(u));
  const last = () => updates.length && updates[updates.length - 1];
  const stateOfA = () => { const u = last(); return u && u.id === userJid(A) && u.presences[userJid(A)] && u.presences[userJid(A)].lastKnownPresence; };

  // 1. Presence and chat state.
  await b.client.sock.presenceSubscribe(userJid(A));
  await h.until('B: A unavailable after subscribing', () => stateOfA() === 'unavailable');
  a.auth.creds.me.name = 'Alice';
  await a.client.sock.sendPresenceUpdate('available');
  await h.until('B: A available', () => stateOfA() === 'available');
  await a.client.sock.sendPresenceUpdate('composing', userJid(B));
  await h.until('B: A composing', () => stateOfA() === 'composing');
  await a.client.sock.sendPresenceUpdate('paused', userJid(B));
  await h.until('B: A paused (available)', () => stateOfA() === 'available');
  await a.client.sock.sendPresenceUpdate('unavailable');
  await h.until('B: A unavailable', () => stateOfA() === 'unavailable');
  console.log('ok 1 - subscribe, available, composing, paused, unavailable relayed to B');

  // 2. Retry receipt, forwarded whole; A re-sends.
  const sent = await a.client.sock.sendMessage(userJid(B), { text: 'please retry' });
  sentByA.set(sent.key.id, sent.message);
  await h.until('B: the message', () => b.client.seen.upserts.some((m) => m.key.id === sent.key.id));
  const registration = Buffer.from([0, 0, 0x30, 0x39]);
  const identity = crypto.randomBytes(32);
  await b.client.sock.sendNode({
    tag: 'receipt', attrs: { id: sent.key.id, to: a.device, type: 'retry' },
    content: [
      { tag: 'retry', attrs: { count: '1', id: sent.key.id, t: String(Math.floor(Date.now() / 1000)), v: '1' } },
      { tag: 'registration', attrs: {}, content: registration },
      { tag: 'keys', attrs: {}, content: [{ tag: 'type', attrs: {}, content: Buffer.from([5]) },
                                          { tag: 'identity', attrs: {}, content: identity }] },
    ],
  });
  await h.until('A: the retry receipt', () => a.client.seen.receipts.some((r) => r.attrs.type === 'retry'));
  const retry = a.client.seen.receipts.find((r) => r.attrs.type === 'retry');
  const child = (n, tag) => n.content.find((x) => x.tag === tag);
  check(retry.attrs.from === b.device && retry.attrs.id === sent.key.id, `retry attrs ${JSON.stringify(retry.attrs)}`);
  check(child(retry, 'retry').attrs.count === '1' && Buffer.compare(Buffer.from(child(retry, 'registration').content), registration) === 0 &&
        Buffer.compare(Buffer.from(child(child(retry, 'keys'), 'identity').content), identity) === 0, 'retry children not forwarded whole');
  await h.until('B: the re-sent message', () => b.client.seen.messages.filter((n) => n.attrs.id === sent.key.id).length >= 2);
  console.log('ok 2 - retry receipt forwarded whole to the sending device; message re-sent to B');

  // 3. Going away while available.
  await a.client.sock.sendPresenceUpdate('available');
  await h.until('B: A available again', () => stateOfA() === 'available');
  a.client.sock.end(undefined);
  await h.until('B: A unavailable after disconnecting', () => stateOfA() === 'unavailable');
  check(last().presences[userJid(A)].lastSeen > 0, `no last seen ${JSON.stringify(last())}`);
  console.log('ok 3 - disconnect of the last device makes A unavailable with a last-seen time');

  b.client.sock.end(undefined);
}

h.run(main, sim);
