// A server slow to acknowledge must not make Chorus send a message twice (Chorus account A,
// Baileys 6.17.16 on B): while `send --stdin` pushes 40 messages, chorus-sim holds every stanza
// it sends to Chorus's connection for 9 s from the login on (acks, receipts, iq answers — a
// congested link; PUT /devices/{phone}/{n}/next-faults). The connection stays up (keepalive is far longer), so every message goes out once on
// it and is acknowledged late: Baileys must decrypt each id exactly once, and `send --wait sent`
// must still end with all 40 sent (8 at a time: Chorus keeps at most 8 unacknowledged).
'use strict';
const h = require('./harness');

const { check, userJid, exactlyOnce } = h;
const { sim, baileys, root, cliPath } = h.startTest({ tag: 'slow-ack', timeoutMs: 110000 });
const [A, B] = ['15550077001', '15550077002'];
const N = 40;
const kAckDelayMs = 9000;

async function main() {
  await sim.start();
  for (const phone of [A, B]) {
    const r = await sim.control('POST', '/accounts', { phone });
    check(r.status === 201, `POST /accounts ${phone}: ${r.status}`);
  }
  // The login's answers may be 9 s late too: a connect timeout well above that.
  const chorus = new h.Chorus(cliPath, sim, `${root}/chorus-a`, { timing: h.kTiming.replace('connect_timeout_ms=10000', 'connect_timeout_ms=30000') });
  const aDevice = await chorus.link('A', A);
  const b = await h.baileysClient(baileys, sim, B);
  await chorus.run(['send', 'A', B, 'the session first', '--wait', 'delivered']);

  const texts = h.texts('slowly acknowledged', N);
  // The next connection of Chorus's device is slow from its login on (9 s: more than the
  // outbox's 5 s first retry, so a resend on the live connection would show up). Set before the
  // send starts: slowing the connection once it is listed raced a fast send to its last ack.
  const deviceNumber = Number((/:(\d+)@/.exec(aDevice) || [])[1]);
  check(deviceNumber > 0, `device number of ${aDevice}`);
  const slowed = await sim.control('PUT', `/devices/${A}/${deviceNumber}/next-faults`, { delay_ms: kAckDelayMs });
  check(slowed.status === 202, `next-faults: ${slowed.status} ${JSON.stringify(slowed.body)}`);
  const t0 = Date.now();
  const send = chorus.sendMany(B, texts, { wait: 'sent', timeout: 80 });
  const code = await send.exit(85000);
  check(code === 0, `send --stdin --wait sent\n${send.transcript()}`);
  const elapsed = Date.now() - t0;
  const ids = send.events('queued').map((l) => l.id);
  check(elapsed >= kAckDelayMs, `the slow acks did not matter: all sent after ${elapsed} ms`);
  exactlyOnce('send: sent events', send.events('sent').map((l) => l.id), ids);
  await h.until(`B: ${N} messages`, () => ids.every((id) => h.received(b).some((m) => m.key.id === id)), 30000);
  await h.sleep(1500);
  const copies = b.seen.messages.filter((n) => ids.includes(n.attrs.id));
  exactlyOnce(`B: messages (${copies.length} copies arrived, all sent after ${elapsed} ms)`, h.received(b).filter((m) => m.key.remoteJid === userJid(A) && ids.includes(m.key.id)).map((m) => m.key.id), ids);
  h.log(`ok 1 - ${N} messages with acks ${kAckDelayMs / 1000} s late from the login on: each reached B once; all sent after ${(elapsed / 1000).toFixed(1)} s`);
}

h.run(main, sim);
