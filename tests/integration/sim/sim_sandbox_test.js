// chorus-sim --sandbox with a Baileys 6.17.16 client that knows nothing but the sandbox
// conventions (docs/sim.md): it registers with the sandbox adv secret, is linked by the sandbox
// phone within a few seconds (no scan call), reaches 'open', receives the sandbox phone's history
// sync notification, texts a simulated contact and gets the contact's read receipt (status
// READ) and then its decrypted answer; "STOP" to another contact gets an unsubscribe
// confirmation.
// Usage: node sim_sandbox_test.js --sim PATH/chorus-sim   (CHORUS_NODE_MODULES = Baileys' node_modules)
'use strict';
const h = require('./sim_harness');

const { check, userJid, textOf } = h;
const { sim, baileys } = h.startTest({ tag: 'sandbox', simArgs: ['--sandbox'] });

const SANDBOX = '15550100000';
const ADA = '15550100001';
const NEWS = '15550100004';
const ADV_SECRET = Buffer.from('chorus-sim sandbox adv secret 32').toString('base64');

async function answerFrom(client, contact, after, what) {
  const from = (m) => m.key.remoteJid === userJid(contact) && !m.key.fromMe && textOf(m);
  await h.until(`${what}: an answer`, () => client.seen.upserts.slice(after).some(from), 10000);
  return client.seen.upserts.slice(after).find(from);
}

async function main() {
  await sim.start();
  const accounts = (await sim.control('GET', '/accounts')).body.map((a) => a.phone);
  for (const phone of [SANDBOX, ADA, NEWS]) check(accounts.includes(phone), `sandbox account ${phone} missing: ${accounts}`);

  const auth = { creds: baileys.initAuthCreds(), keys: h.memoryKeyStore() };
  auth.creds.advSecretKey = ADV_SECRET;
  const socket = { shouldSyncHistoryMessage: () => false };
  const started = Date.now();
  const reg = h.connect(baileys, sim.info, auth, { socket });
  await h.until('auto-link (515)', () => reg.seen.closed, 8000);
  check(h.statusOf(reg.seen.closed) === 515, `registration ended with ${h.statusOf(reg.seen.closed)}`);
  check(auth.creds.me && auth.creds.me.id.startsWith(`${SANDBOX}:`), `creds.me ${JSON.stringify(auth.creds.me)}`);
  auth.creds.myAppStateKeyId = auth.creds.myAppStateKeyId || 'AAAAAA==';
  const client = h.connect(baileys, sim.info, auth, { socket });
  await h.until("connection 'open'", () => client.seen.open);
  console.log(`ok 1 - auto-linked as ${auth.creds.me.id} and open after ${Date.now() - started} ms`);

  await h.until('history sync notification', () => client.seen.upserts.some((m) =>
    m.key.fromMe && m.message && m.message.protocolMessage && m.message.protocolMessage.type === 5));
  console.log('ok 2 - the sandbox phone sent a history sync notification');

  // What arrives, in order: receipts and messages (the read receipt must come before the answer).
  const arrivals = [];
  client.sock.ws.on('CB:receipt', (node) => arrivals.push(node));
  client.sock.ws.on('CB:message', (node) => arrivals.push(node));
  const updates = [];
  client.sock.ev.on('messages.update', (list) => updates.push(...list));
  let mark = client.seen.upserts.length;
  const hello = await client.sock.sendMessage(userJid(ADA), { text: 'Hello Ada, how are you today?' });
  const answerMessage = await answerFrom(client, ADA, mark, 'Ada');
  const answer = textOf(answerMessage);
  check(answer.includes('"Hello Ada, how are you"') && answer.includes('(29 characters)'), `Ada answered: ${answer}`);
  const readAt = arrivals.findIndex((n) => n.tag === 'receipt' && n.attrs.type === 'read' &&
                                           n.attrs.from === userJid(ADA) && n.attrs.id === hello.key.id);
  const answerAt = arrivals.findIndex((n) => n.tag === 'message' && n.attrs.id === answerMessage.key.id);
  check(readAt >= 0 && answerAt > readAt, `Ada's read receipt at ${readAt}, her answer at ${answerAt}: ${JSON.stringify(arrivals.map((n) => n.attrs))}`);
  await h.until('messages.update READ for the text to Ada', () => updates.some((u) => u.key.id === hello.key.id && u.update.status === 4));
  console.log(`ok 3 - a simulated contact read the text (read receipt first) and answered: ${answer}`);

  mark = client.seen.upserts.length;
  await client.sock.sendMessage(userJid(NEWS), { text: 'stop' });
  const unsub = textOf(await answerFrom(client, NEWS, mark, 'Sandbox News'));
  check(/unsubscribed/i.test(unsub), `STOP answered: ${unsub}`);
  check(client.seen.errors.length === 0, `Baileys logged errors: ${client.seen.errors.join('; ')}`);
  console.log('ok 4 - STOP gets an unsubscribe confirmation');

  client.sock.end(undefined);
}

h.run(main, sim);
