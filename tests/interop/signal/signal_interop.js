// Signal interop between Chorus (signal_peer: libsignal-protocol-c behind core/signal) and
// Baileys 6.17.16 (makeLibSignalRepository over libsignal-node), protocol §14 and §16.2.
//   1. Chorus -> Baileys: Chorus builds a session from Baileys' prekey-upload values, sends
//      pkmsg, pkmsg; Baileys decrypts and answers msg; Chorus decrypts, then sends msg.
//   2. Baileys -> Chorus: Baileys injects a session from Chorus's bundle (as a server <iq>
//      result), sends pkmsg; Chorus decrypts and answers msg; Baileys answers msg.
//   3. Groups: Chorus's SKDM processed by Baileys, Chorus skmsg decrypted by Baileys; Baileys'
//      SKDM processed by Chorus, Baileys skmsg decrypted by Chorus (twice each way).
// Plaintexts are real Message protobufs, padded by the sender's library and unpadded by the
// receiver's. Usage: node signal_interop.js --peer PATH/signal_peer
'use strict';
const path = require('path');
const readline = require('readline');
const { spawn } = require('child_process');
const peer = require(path.join(__dirname, '..', 'node', 'peer'));

const { baileys, load } = peer;
const { makeLibSignalRepository } = load('baileys/lib/Signal/libsignal');
const args = peer.parseArgs(process.argv.slice(2));
const fail = (msg) => { console.error(`signal_interop: FAIL: ${msg}`); process.exit(1); };
if (!args.peer) fail('missing --peer PATH/signal_peer');
setTimeout(() => fail('timed out after 50 s'), 50000).unref();

const hex = (b) => Buffer.from(b).toString('hex');
const unhex = (s) => Buffer.from(s, 'hex');
const GROUP = '120363000000000000@g.us';
const CHORUS = { user: '15550000001', device: 3 };
const BOB = { user: '15550000002', device: 1 };    // Baileys, receives Chorus's first message
const CAROL = { user: '15550000003', device: 2 };  // Baileys, sends the first message to Chorus
const jidOf = (a) => `${a.user}:${a.device}@s.whatsapp.net`;

// --- the Chorus process ----------------------------------------------------------------------
const child = spawn(args.peer, [], { stdio: ['pipe', 'pipe', 'inherit'] });
child.on('error', (e) => fail(`cannot start ${args.peer}: ${e.message}`));
child.on('exit', (code) => { if (!done) fail(`signal_peer exited early (${code})`); });
const lines = readline.createInterface({ input: child.stdout });
const waiting = [];
lines.on('line', (line) => { const w = waiting.shift(); if (w) w(line); });
let done = false;
function chorus(...words) {
  return new Promise((resolve, reject) => {
    waiting.push((line) => {
      const [status, ...rest] = line.split(' ');
      if (status === 'ok') resolve(rest);
      else reject(new Error(`chorus ${words[0]}: ${rest.join(' ')}`));
    });
    child.stdin.write(words.join(' ') + '\n');
  });
}

// --- Baileys devices ---------------------------------------------------------------------------
function memoryKeys() {
  const data = {};
  return {
    get: async (type, ids) => {
      const out = {};
      for (const id of ids) if (data[type] && data[type][id] != null) out[id] = data[type][id];
      return out;
    },
    set: async (changes) => {
      for (const type in changes) {
        data[type] = data[type] || {};
        for (const id in changes[type]) {
          if (changes[type][id] == null) delete data[type][id]; else data[type][id] = changes[type][id];
        }
      }
    },
    data,
  };
}
function baileysDevice() {
  const creds = baileys.initAuthCreds();
  const keys = memoryKeys();
  return { creds, keys, repo: makeLibSignalRepository({ creds, keys }) };
}

const message = (text) => baileys.proto.Message.encode({ conversation: text }).finish();
const textOf = (bytes) => baileys.proto.Message.decode(bytes).conversation;
const expect = (cond, what) => { if (!cond) fail(what); console.log(`ok - ${what}`); };

// Baileys encrypts with padding (encodeWAMessage) and decrypts to padded bytes.
async function baileysDecrypt(dev, from, type, ct) {
  const padded = await dev.repo.decryptMessage({ jid: jidOf(from), type, ciphertext: ct });
  return textOf(baileys.unpadRandomMax16(padded));
}
async function chorusDecrypt(from, type, ct) {
  const [plain] = await chorus('decrypt', from.user, from.device, type, hex(ct));
  return textOf(unhex(plain));
}

async function chorusToBaileys() {
  const bob = baileysDevice();
  const { node } = await baileys.getNextPreKeysNode({ creds: bob.creds, keys: bob.keys }, 2);
  const sub = (n, tag) => baileys.getBinaryNodeChild(n, tag);
  const buf = (n, tag) => Buffer.from(sub(n, tag).content);
  const skey = sub(node, 'skey');
  const firstKey = sub(node, 'list').content[0];
  const words = [
    'bundle', BOB.user, BOB.device,
    buf(node, 'registration').readUInt32BE(0),
    hex(buf(node, 'identity')),
    baileys.getBinaryNodeChildUInt(skey, 'id', 3), hex(buf(skey, 'value')),
    hex(buf(skey, 'signature')),
    baileys.getBinaryNodeChildUInt(firstKey, 'id', 3), hex(buf(firstKey, 'value')),
  ];
  if (unhex(words[4]).length !== 32 || unhex(words[6]).length !== 32) fail('keys in the upload node are not 32 bytes');
  await chorus(...words);

  for (const text of ['hello from chorus', 'second before any reply']) {
    const [type, ct] = await chorus('encrypt', BOB.user, BOB.device, hex(message(text)));
    expect(type === 'pkmsg', `chorus->baileys: "${text}" is a pkmsg`);
    expect(unhex(ct)[0] === 0x33, 'chorus->baileys: version byte 0x33');
    expect(await baileysDecrypt(bob, CHORUS, type, unhex(ct)) === text, `baileys decrypts chorus pkmsg "${text}"`);
  }
  const reply = await bob.repo.encryptMessage({ jid: jidOf(CHORUS), data: baileys.encodeWAMessage({ conversation: 'hi chorus' }) });
  expect(reply.type === 'msg', 'baileys reply is a msg');
  expect(await chorusDecrypt(BOB, reply.type, reply.ciphertext) === 'hi chorus', 'chorus decrypts baileys msg');
  const [type3, ct3] = await chorus('encrypt', BOB.user, BOB.device, hex(message('now a msg')));
  expect(type3 === 'msg', 'chorus->baileys: after the reply chorus sends msg');
  expect(await baileysDecrypt(bob, CHORUS, type3, unhex(ct3)) === 'now a msg', 'baileys decrypts chorus msg');
  return bob;
}

async function baileysToChorus(chorusBundle) {
  const carol = baileysDevice();
  const [regId, identity, spkId, spkPub, spkSig, pkId, pkPub] = chorusBundle;
  const be = (n, size) => { const b = Buffer.alloc(size); b.writeUIntBE(Number(n), 0, size); return b; };
  const node = (tag, content) => ({ tag, attrs: {}, content });
  const result = { tag: 'iq', attrs: { type: 'result', from: 's.whatsapp.net', id: '1' }, content: [
    node('list', [{ tag: 'user', attrs: { jid: jidOf(CHORUS) }, content: [
      node('registration', be(regId, 4)), node('type', Buffer.from([5])), node('identity', unhex(identity)),
      node('skey', [node('id', be(spkId, 3)), node('value', unhex(spkPub)), node('signature', unhex(spkSig))]),
      node('key', [node('id', be(pkId, 3)), node('value', unhex(pkPub))]),
    ] }]),
  ] };
  await baileys.parseAndInjectE2ESessions(result, carol.repo);

  const first = await carol.repo.encryptMessage({ jid: jidOf(CHORUS), data: baileys.encodeWAMessage({ conversation: 'hello from baileys' }) });
  expect(first.type === 'pkmsg', 'baileys->chorus: first message is a pkmsg');
  expect(await chorusDecrypt(CAROL, first.type, first.ciphertext) === 'hello from baileys', 'chorus decrypts baileys pkmsg');
  const [type, ct] = await chorus('encrypt', CAROL.user, CAROL.device, hex(message('chorus answers')));
  expect(type === 'msg', 'chorus answer to a received pkmsg is a msg');
  expect(await baileysDecrypt(carol, CHORUS, type, unhex(ct)) === 'chorus answers', 'baileys decrypts chorus msg');
  const again = await carol.repo.encryptMessage({ jid: jidOf(CHORUS), data: baileys.encodeWAMessage({ conversation: 'and again' }) });
  expect(again.type === 'msg', 'baileys->chorus: after the answer baileys sends msg');
  expect(await chorusDecrypt(CAROL, again.type, again.ciphertext) === 'and again', 'chorus decrypts baileys msg');
}

async function groups(bob) {
  // Chorus -> Baileys.
  const [skdm] = await chorus('skdm', GROUP, CHORUS.user, CHORUS.device);
  expect(unhex(skdm)[0] === 0x33, 'chorus SKDM starts with 0x33');
  await bob.repo.processSenderKeyDistributionMessage({ authorJid: jidOf(CHORUS), item: { groupId: GROUP, axolotlSenderKeyDistributionMessage: unhex(skdm) } });
  for (const text of ['group hello from chorus', 'group second from chorus']) {
    const [skmsg] = await chorus('gencrypt', GROUP, CHORUS.user, CHORUS.device, hex(message(text)));
    const padded = await bob.repo.decryptGroupMessage({ group: GROUP, authorJid: jidOf(CHORUS), msg: unhex(skmsg) });
    expect(textOf(baileys.unpadRandomMax16(padded)) === text, `baileys decrypts chorus skmsg "${text}"`);
  }
  // Baileys -> Chorus.
  for (const text of ['group hello from baileys', 'group second from baileys']) {
    const g = await bob.repo.encryptGroupMessage({ group: GROUP, meId: jidOf(BOB), data: baileys.encodeWAMessage({ conversation: text }) });
    await chorus('process-skdm', GROUP, BOB.user, BOB.device, hex(g.senderKeyDistributionMessage));
    const [plain] = await chorus('gdecrypt', GROUP, BOB.user, BOB.device, hex(g.ciphertext));
    expect(textOf(unhex(plain)) === text, `chorus decrypts baileys skmsg "${text}"`);
  }
}

(async () => {
  const chorusBundle = await chorus('init', CHORUS.user, CHORUS.device, 4242);
  const bob = await chorusToBaileys();
  await baileysToChorus(chorusBundle);
  await groups(bob);
  done = true;
  child.stdin.end('quit\n');
  console.log('signal_interop: all checks passed');
})().catch((e) => fail(e.stack || String(e)));
