// The retry path between Chorus (chorus-cli, account A) and Baileys 6.17.16 (account B):
//   1. sessions both ways (Chorus → B, B → Chorus);
//   2. Baileys' session with Chorus's device is deleted from its key store: Chorus's next message
//      cannot be decrypted at B, B sends a retry receipt, Chorus answers it by sending the
//      message again, B decrypts it (same id, the text once) and reads it — `send --wait read`
//      exits 0; a later message needs no retry;
//   3. the other way round: B sends Chorus's device a message it cannot decrypt (garbage in a
//      msg <enc>); Chorus stores a placeholder, sends a retry receipt, Baileys re-sends the
//      message (getMessage) and Chorus's listen prints the placeholder's content; `messages`
//      holds it once, as text.
'use strict';
const crypto = require('crypto');
const h = require('./harness');

const { check, userJid, textOf, exactlyOnce } = h;
const { sim, baileys, root, cliPath } = h.startTest({ tag: 'retry', timeoutMs: 110000 });
const [A, B] = ['15550075001', '15550075002'];
// Baileys waits 5 s before its first retry receipt (a placeholder resend request to the phone)
// unless the message id is already in this cache: a cache that knows every id skips the wait.
const noPlaceholderWait = { get: () => true, set: () => true, del: () => 0 };

async function main() {
  await sim.start();
  for (const phone of [A, B]) {
    const r = await sim.control('POST', '/accounts', { phone });
    check(r.status === 201, `POST /accounts ${phone}: ${r.status}`);
  }
  const chorus = new h.Chorus(cliPath, sim, `${root}/chorus-a`);
  const aDevice = await chorus.link('A', A);
  const b = await h.baileysClient(baileys, sim, B, { placeholderResendCache: noPlaceholderWait });
  const signalAddress = (jid) => { const { user, device } = baileys.jidDecode(jid); return `${user}.${device || 0}`; };
  const withText = (id, text) => h.received(b).filter((m) => m.key.id === id && textOf(m) === text);
  const copiesAtB = (id) => b.seen.messages.filter((n) => n.attrs.id === id);
  // B reads what Chorus sends as soon as it is decrypted.
  b.sock.ev.on('messages.upsert', ({ messages }) => {
    const keys = messages.filter((m) => !m.key.fromMe && m.key.remoteJid === userJid(A) && textOf(m)).map((m) => m.key);
    if (keys.length) b.sock.readMessages(keys).catch((e) => h.fail(`readMessages: ${e}`));
  });

  // 1. Sessions both ways.
  const hello = await chorus.run(['send', 'A', B, 'hello', '--wait', 'read']);
  const helloId = hello.events('queued')[0].id;
  check(withText(helloId, 'hello').length === 1, 'B: hello');
  let listen = h.followListen(chorus);
  await listen.ready();
  const back = await b.send(userJid(A), 'hello back');
  await listen.until('listen: hello back', (r) => r.messagesById().has(back.key.id));
  check(await listen.stop() === 0, `listen did not stop cleanly\n${listen.transcript()}`);
  h.log('ok 1 - sessions both ways');

  // 2. B forgets its session with Chorus's device.
  await b.auth.keys.set({ session: { [signalAddress(aDevice)]: null } });
  const failuresBefore = b.seen.errors.filter((e) => e.includes('failed to decrypt message')).length;
  const broken = chorus.spawn(['send', 'A', B, 'after B lost its session', '--wait', 'read', '--timeout', '40']);
  const code = await broken.exit(45000);
  const brokenId = broken.events('queued')[0] && broken.events('queued')[0].id;
  const retries = b.seen.errors.filter((e) => e.includes('decrypt')).length;
  check(code === 0, `send --wait read after B lost its session (B logged ${retries} decryption failures; ` +
                    `${brokenId ? copiesAtB(brokenId).length : 0} copies reached B)\n${broken.transcript()}`);
  check(copiesAtB(brokenId).length >= 2 && copiesAtB(brokenId).every((n) => n.attrs.from === aDevice),
        `B saw ${copiesAtB(brokenId).length} copies of ${brokenId}: ${JSON.stringify(copiesAtB(brokenId).map((n) => n.attrs))}`);
  const failures = b.seen.errors.filter((e) => e.includes('failed to decrypt message')).length - failuresBefore;
  check(failures >= 1, 'B decrypted the message without a failure: its session was not broken');
  const encs = copiesAtB(brokenId).map((n) => n.content.find((x) => x.tag === 'enc').attrs.type);
  await h.sleep(500);
  check(withText(brokenId, 'after B lost its session').length === 1, `B decrypted "after B lost its session" ${withText(brokenId, 'after B lost its session').length} times`);
  const next = await chorus.run(['send', 'A', B, 'and one more', '--wait', 'read']);
  const nextId = next.events('queued')[0].id;
  check(copiesAtB(nextId).length === 1 && withText(nextId, 'and one more').length === 1, `the next message needed ${copiesAtB(nextId).length} copies`);
  h.log(`ok 2 - B lost its session: ${failures} decryption failure(s) at B, its retry receipt made Chorus send again (copies: ${encs}), decrypted once and read; the next message needed no retry`);

  // 3. Chorus cannot decrypt: it asks for the message again.
  listen = h.followListen(chorus);
  await listen.ready();
  const badId = `3EB0${crypto.randomBytes(8).toString('hex').toUpperCase()}`;
  b.sent.set(badId, { conversation: 'sent again after a failure' });
  await b.sock.sendNode({
    tag: 'message', attrs: { id: badId, to: userJid(A), type: 'text' },
    content: [{ tag: 'participants', attrs: {}, content: [
      { tag: 'to', attrs: { jid: aDevice }, content: [{ tag: 'enc', attrs: { v: '2', type: 'msg' }, content: crypto.randomBytes(64) }] }] }],
  });
  const retryFromChorus = () => b.seen.receipts.find((r) => r.attrs.type === 'retry' && r.attrs.id === badId && r.attrs.from === aDevice);
  await h.until('B: Chorus\'s retry receipt', retryFromChorus, 20000);
  await listen.until('listen: the placeholder filled in', (r) => r.lines.some((l) => l.id === badId && l.event === 'message_update' && l.kind === 'text'), 20000);
  const lines = listen.lines.filter((l) => l.id === badId);
  check(lines[0].event === 'message' && lines[0].kind === 'placeholder' && lines[0].text === '', `first line for the broken message: ${JSON.stringify(lines[0])}`);
  const update = lines.find((l) => l.event === 'message_update' && l.kind === 'text');
  check(update.text === 'sent again after a failure' && update.chat === userJid(B), `update ${JSON.stringify(update)}`);
  exactlyOnce('listen: message lines', listen.events('message').map((l) => l.id), [badId]);
  check(await listen.stop() === 0, `listen did not stop cleanly\n${listen.transcript()}`);
  const stored = (await chorus.messages(userJid(B))).filter((m) => m.id === badId);
  check(stored.length === 1 && stored[0].kind === 'text' && stored[0].text === 'sent again after a failure' && stored[0].direction === 'in',
        `messages: ${JSON.stringify(stored)}`);
  h.log('ok 3 - Chorus could not decrypt: placeholder, retry receipt to B, Baileys re-sent, the placeholder got its text (stored once)');
  const errors = b.seen.errors.filter((e) => !e.includes('failed to decrypt message'));
  check(errors.length === 0, `Baileys errors: ${JSON.stringify(errors)}`);
}

h.run(main, sim);
