// chorus-sim's per-connection faults (control API, docs/sim.md "Faults") seen by Baileys 6.17.16;
// B sends texts to A while A's connection misbehaves:
//   1. stall 1.5 s: nothing reaches A meanwhile; afterwards the message arrives and decrypts;
//   2. delay_ms 600: a message reaches A no sooner than 600 ms after the server took it;
//   3. duplicate 1: A receives the same <message> twice; Baileys decrypts the first copy, fails
//      the second (its ratchet key is used up) and still shows the text once;
//   4. swap: two messages reach A in reverse order; Baileys decrypts both (skipped keys);
//   5. stall 12 s with Baileys' keepAliveIntervalMs 1000: Baileys gives up on its own and reports
//      408 connectionLost; the simulator resumes afterwards (GET /connections/{id}/faults).
// Usage: node sim_faults_test.js --sim PATH/chorus-sim   (CHORUS_NODE_MODULES = Baileys' node_modules)
'use strict';
const h = require('./sim_harness');

const { check, textOf } = h;
const { sim, baileys } = h.startTest({ tag: 'faults' });

const A = '15550005001';
const B = '15550005002';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function connectionId(jid) {
  const entry = (await sim.control('GET', '/connections')).body.find((c) => c.jid === jid);
  check(entry, `no live connection for ${jid}`);
  return entry.id;
}

// Records when each <message> node arrived at the client.
function stamp(client) {
  client.arrivals = [];
  client.sock.ws.on('CB:message', (node) => client.arrivals.push({ id: node.attrs.id, at: Date.now() }));
}

async function main() {
  await sim.start();
  for (const phone of [A, B]) check((await sim.control('POST', '/accounts', { phone })).status === 201, `account ${phone}`);
  const a = await h.pairClient(baileys, sim, A, { socket: { keepAliveIntervalMs: 1000 } });
  const b = await h.pairClient(baileys, sim, B);
  stamp(a.client);
  const to = `${A}@s.whatsapp.net`;
  // Warm up the session so later messages are plain "msg".
  const first = await b.client.sock.sendMessage(to, { text: 'warm-up' });
  await h.until('warm-up', () => a.client.seen.upserts.some((m) => m.key.id === first.key.id));
  const id = await connectionId(a.device);
  const decrypted = (sid) => a.client.seen.upserts.some((m) => m.key.id === sid && textOf(m));

  // 1. Stall.
  let r = await sim.control('POST', `/connections/${id}/stall`, { seconds: 1.5 });
  check(r.status === 202 && r.body.stalled_ms === 1500, `stall ${r.status} ${JSON.stringify(r.body)}`);
  check((await sim.control('GET', `/connections/${id}/faults`)).body.stalled === true, 'faults do not show the stall');
  const stalledAt = Date.now();
  const s1 = await b.client.sock.sendMessage(to, { text: 'during the stall' });
  await sleep(800);
  check(!a.client.arrivals.some((x) => x.id === s1.key.id), 'a message reached a stalled connection');
  await h.until('message after the stall', () => decrypted(s1.key.id), 5000);
  check(a.client.arrivals.find((x) => x.id === s1.key.id).at - stalledAt >= 1400, 'the message came before the stall ended');
  check(!a.client.seen.closed, 'Baileys closed during a short stall');
  console.log('ok 1 - stall 1.5 s: delivery waits, then the message decrypts');

  // 2. Delay.
  r = await sim.control('PUT', `/connections/${id}/faults`, { delay_ms: 600 });
  check(r.status === 200 && r.body.delay_ms === 600, `delay ${JSON.stringify(r.body)}`);
  const sentAt = Date.now();
  const s2 = await b.client.sock.sendMessage(to, { text: 'delayed' });
  await h.until('delayed message', () => decrypted(s2.key.id), 5000);
  const took = a.client.arrivals.find((x) => x.id === s2.key.id).at - sentAt;
  check(took >= 550, `a delayed message took only ${took} ms`);
  check((await sim.control('PUT', `/connections/${id}/faults`, { delay_ms: 0 })).body.delay_ms === 0, 'delay off');
  console.log(`ok 2 - delay_ms 600: the message took ${took} ms and decrypts`);

  // 3. Duplicate.
  check((await sim.control('PUT', `/connections/${id}/faults`, { duplicate: 1 })).body.duplicate === 1, 'duplicate 1');
  const s3 = await b.client.sock.sendMessage(to, { text: 'twice' });
  await h.until('both copies', () => a.client.arrivals.filter((x) => x.id === s3.key.id).length === 2, 5000);
  await h.until('duplicate decrypted', () => decrypted(s3.key.id), 5000);
  await sleep(300);
  const copies = a.client.seen.upserts.filter((m) => m.key.id === s3.key.id && textOf(m) === 'twice').length;
  check(copies >= 1, 'the duplicated text was never shown');
  check((await sim.control('GET', `/connections/${id}/faults`)).body.duplicate === 0, 'duplicate counter not used up');
  console.log(`ok 3 - duplicate 1: the <message> arrived twice, the text was shown ${copies} time(s)`);

  // 4. Swap.
  check((await sim.control('PUT', `/connections/${id}/faults`, { swap: true })).body.swap === true, 'swap');
  const s4 = await b.client.sock.sendMessage(to, { text: 'first' });
  const s5 = await b.client.sock.sendMessage(to, { text: 'second' });
  await h.until('both swapped messages decrypted', () => decrypted(s4.key.id) && decrypted(s5.key.id), 5000);
  const order = a.client.arrivals.map((x) => x.id);
  check(order.indexOf(s5.key.id) < order.indexOf(s4.key.id), `not swapped: ${order.join(',')}`);
  check((await sim.control('GET', `/connections/${id}/faults`)).body.swap === false, 'swap not used up');
  console.log('ok 4 - swap: "second" arrived before "first"; both decrypted');

  // 5. A long stall: Baileys' keepalive notices.
  check((await sim.control('POST', `/connections/${id}/stall`, { seconds: 12 })).status === 202, 'long stall');
  await h.until('Baileys gives up', () => a.client.seen.closed, 15000);
  check(h.statusOf(a.client.seen.closed) === baileys.DisconnectReason.connectionLost,
        `a stalled connection closed with ${h.statusOf(a.client.seen.closed)}`);
  check((await sim.control('PUT', `/connections/${id}/faults`, { delay_ms: -1 })).status !== 200, 'a negative delay was accepted');
  check((await sim.control('POST', `/connections/${id}/stall`, { seconds: 0 })).status !== 202, 'a zero stall was accepted');
  console.log('ok 5 - stall 12 s: Baileys reports 408 connectionLost');
  b.client.sock.end(undefined);
}

h.run(main, sim);
