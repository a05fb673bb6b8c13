// Chorus ↔ Chorus across two processes: two data folders, two chorus-cli accounts (A and B) on
// two sim accounts, never a Baileys client in between:
//   1. A → B, 100 messages (`send --stdin --wait delivered`) while B runs `listen`: every id is
//      printed once by B's listen with its text, and every one reaches delivered at A;
//   2. B → A, 100 messages the same way, A listening;
//   3. `read` on B while A listens: A's listen prints read for all of A's messages; then `read` on
//      A while B listens, the same for B's;
//   4. `messages` on both sides: each id exactly once, in order, right direction, text, status read.
'use strict';
const h = require('./harness');

const { check, userJid, exactlyOnce } = h;
const { sim, root, cliPath } = h.startTest({ tag: 'chorus-chorus', timeoutMs: 110000 });
const [A, B] = ['15550072001', '15550072002'];
const N = 100;

// `from` sends `texts` to `to` while `to` listens; returns the ids, checks both sides.
async function oneWay(from, to, texts) {
  const listen = h.followListen(to);
  await listen.ready();
  const t0 = Date.now();
  const batch = from.sendMany(to.phone, texts, { wait: 'delivered', timeout: 60 });
  check(await batch.exit(65000) === 0, `send --stdin --wait delivered\n${batch.transcript()}`);
  const ids = batch.events('queued').map((l) => l.id);
  check(ids.length === texts.length && new Set(ids).size === ids.length, `${ids.length} queued ids, ${new Set(ids).size} distinct`);
  exactlyOnce(`${from.account}: delivered events`, batch.events('delivered').map((l) => l.id), ids);
  await listen.until(`${to.account}'s listen: ${texts.length} messages`, (r) => ids.every((id) => r.messagesById().has(id)), 30000);
  await h.sleep(500);
  exactlyOnce(`${to.account}'s listen: messages`, listen.events('message').map((l) => l.id), ids);
  for (const [i, id] of ids.entries()) {
    const l = listen.events('message').find((x) => x.id === id);
    check(l.text === texts[i] && l.kind === 'text' && l.chat === userJid(from.phone) && l.from.split(/[:@]/)[0] === from.phone,
          `${to.account}'s listen printed ${JSON.stringify(l)} for "${texts[i]}"`);
  }
  check(await listen.stop() === 0, `listen did not stop cleanly\n${listen.transcript()}`);
  h.log(`${from.account} → ${to.account}: ${texts.length} messages in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return ids;
}

// `reader` runs `read` on its chat with `author` while the author listens for the read receipts.
async function readAll(reader, author, authorIds) {
  const listen = h.followListen(author);
  await listen.ready();
  const read = await reader.run(['read', reader.account, userJid(author.phone)]);
  const line = read.events('read')[0];
  check(line && line.count === authorIds.length && line.chat === userJid(author.phone), `read printed ${JSON.stringify(read.lines)}`);
  await listen.until(`${author.account}'s listen: read for all`, (r) => authorIds.every((id) => r.statusOf(id) === 'read'), 30000);
  check(await listen.stop() === 0, `listen did not stop cleanly\n${listen.transcript()}`);
}

async function storeHolds(chorus, peer, outIds, outTexts, inIds, inTexts) {
  const all = await chorus.messages(userJid(peer.phone));
  const out = all.filter((m) => m.direction === 'out');
  const inn = all.filter((m) => m.direction === 'in');
  exactlyOnce(`messages ${chorus.account}: out`, out.map((m) => m.id), outIds);
  exactlyOnce(`messages ${chorus.account}: in`, inn.map((m) => m.id), inIds);
  check(out.map((m) => m.id).join() === outIds.join() && inn.map((m) => m.id).join() === inIds.join(), `messages ${chorus.account}: not oldest first`);
  check(out.every((m, i) => m.text === outTexts[i] && m.status === 'read'), `messages ${chorus.account}: out ${JSON.stringify(out.find((m, i) => m.text !== outTexts[i] || m.status !== 'read'))}`);
  check(inn.every((m, i) => m.text === inTexts[i] && m.kind === 'text'), `messages ${chorus.account}: in ${JSON.stringify(inn.find((m, i) => m.text !== inTexts[i]))}`);
}

async function main() {
  await sim.start();
  for (const phone of [A, B]) {
    const r = await sim.control('POST', '/accounts', { phone });
    check(r.status === 201, `POST /accounts ${phone}: ${r.status}`);
  }
  const a = new h.Chorus(cliPath, sim, `${root}/chorus-a`);
  const b = new h.Chorus(cliPath, sim, `${root}/chorus-b`);
  await a.link('A', A);
  await b.link('B', B);
  h.log(`linked: ${a.device} and ${b.device}, two data folders`);

  const aTexts = h.texts('A to B', N);
  const bTexts = h.texts('B to A', N);
  const aIds = await oneWay(a, b, aTexts);
  h.log(`ok 1 - A → B: ${N} messages, each printed once by B's listen, each delivered`);
  const bIds = await oneWay(b, a, bTexts);
  h.log(`ok 2 - B → A: ${N} messages, each printed once by A's listen, each delivered`);

  await readAll(b, a, aIds);
  await readAll(a, b, bIds);
  h.log('ok 3 - read receipts both ways: every message of each side read');

  await storeHolds(a, b, aIds, aTexts, bIds, bTexts);
  await storeHolds(b, a, bIds, bTexts, aIds, aTexts);
  h.log(`ok 4 - messages: ${2 * N} in each store, each once, in order, all read`);
}

h.run(main, sim);
