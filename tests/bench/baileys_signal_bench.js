// Baileys' libsignal (the libsignal-node that baileys@6.17.16 depends on) on the workloads of
// tests/bench/signal_bench.cpp, timed the same way:
//   * one-way:   A encrypts, B decrypts at once; N times (one symmetric-ratchet step each);
//   * ping-pong: A→B, B→A alternating; every message is a DH ratchet step on receipt.
// Each pass runs on two fresh devices whose session is established untimed
// (SessionBuilder.initOutgoing with B's PreKeyBundle, one pkmsg, B answers), so every timed
// message is a "msg" (SessionCipher.encrypt / decryptWhisperMessage). The store is Baileys' own
// signalStorage (lib/Signal/libsignal.js) over an in-memory key map: records are serialized on
// every store and deserialized on every load, as Baileys does. Plaintexts: 200 random bytes
// padded with Baileys' writeRandomPadMax16. A warm-up pass of min(N, 2000) pairs, then the
// median of --passes passes, in wall-clock time (process.hrtime) and in process CPU time
// (process.cpuUsage: all of node's threads, GC included). Session size: the serialized record
// as Baileys' file store writes it (JSON), bytes.
// Usage: node baileys_signal_bench.js [--pairs N] [--passes P] [--json FILE]
//                                     [--chorus signal_bench.json]
// With --chorus (signal_bench --json), prints the side-by-side table.
'use strict';
const fs = require('fs');
const path = require('path');
const nodeCrypto = require('crypto');
const peer = require('../interop/node/peer');

const args = peer.parseArgs(process.argv.slice(2));
const pairs = Number(args.pairs || 10000);
const passes = Number(args.passes || 3);
if (!(pairs > 0) || !(passes > 0)) throw new Error('--pairs and --passes must be positive');
const kMessageSize = 200;
const kDistinctMessages = 64;
const kWarmUpPairs = 2000;
const kTargetRatio = 10;

// The libsignal Baileys itself loads (its dependency, resolved from its package folder).
const baileysDir = path.dirname(require.resolve('baileys/package.json', { paths: [process.env.CHORUS_NODE_MODULES] }));
const libsignal = require(require.resolve('libsignal', { paths: [baileysDir] }));
const libsignalVersion = require(require.resolve('libsignal/package.json', { paths: [baileysDir] })).version;
const { writeRandomPadMax16 } = peer.baileys;

// Baileys' signalStorage (lib/Signal/libsignal.js) over an in-memory `keys` map.
function device(user) {
  const identity = libsignal.keyhelper.generateIdentityKeyPair();
  const registrationId = libsignal.keyhelper.generateRegistrationId();
  const signedPreKey = libsignal.keyhelper.generateSignedPreKey(identity, 1);
  const preKey = libsignal.keyhelper.generatePreKey(1);
  const keys = { session: new Map(), 'pre-key': new Map([['1', preKey.keyPair]]) };
  const storage = {
    loadSession: async (id) => {
      const sess = keys.session.get(id);
      if (sess) return libsignal.SessionRecord.deserialize(sess);
      return undefined;
    },
    storeSession: async (id, session) => { keys.session.set(id, session.serialize()); },
    isTrustedIdentity: () => true,
    loadPreKey: async (id) => {
      const key = keys['pre-key'].get(id.toString());
      return key ? { privKey: Buffer.from(key.privKey), pubKey: Buffer.from(key.pubKey) } : undefined;
    },
    removePreKey: async (id) => { keys['pre-key'].delete(id.toString()); },
    loadSignedPreKey: () => ({ privKey: Buffer.from(signedPreKey.keyPair.privKey),
                               pubKey: Buffer.from(signedPreKey.keyPair.pubKey) }),
    getOurRegistrationId: () => registrationId,
    getOurIdentity: () => ({ privKey: Buffer.from(identity.privKey), pubKey: Buffer.from(identity.pubKey) }),
  };
  const address = new libsignal.ProtocolAddress(user, 0);
  const bundle = {
    registrationId, identityKey: identity.pubKey,
    signedPreKey: { keyId: signedPreKey.keyId, publicKey: signedPreKey.keyPair.pubKey, signature: signedPreKey.signature },
    preKey: { keyId: preKey.keyId, publicKey: preKey.keyPair.pubKey },
  };
  const sessionSize = (peerDevice) =>
    Buffer.byteLength(JSON.stringify(keys.session.get(peerDevice.address.toString())));
  return { address, storage, bundle, sessionSize };
}

// One encrypt+decrypt pair, as Baileys' encryptMessage/decryptMessage call libsignal.
async function pair(from, to, plaintext, expectedType) {
  const { type, body } = await new libsignal.SessionCipher(from.storage, to.address).encrypt(plaintext);
  if (type !== expectedType) throw new Error(`unexpected message type ${type}`);
  const cipher = new libsignal.SessionCipher(to.storage, from.address);
  const ciphertext = Buffer.from(body, 'binary');
  const plain = type === 3 ? await cipher.decryptPreKeyWhisperMessage(ciphertext)
                           : await cipher.decryptWhisperMessage(ciphertext);
  if (!plaintext.equals(plain)) throw new Error('decrypted plaintext differs');
}

async function runPass(pingPong, n, plaintexts) {
  const a = device('15550000001');
  const b = device('15550000002');
  await new libsignal.SessionBuilder(a.storage, b.address).initOutgoing(b.bundle);
  await pair(a, b, plaintexts[0], 3);
  await pair(b, a, plaintexts[1], 1);

  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const plaintext = plaintexts[i % plaintexts.length];
    if (pingPong && i % 2 === 1) await pair(b, a, plaintext, 1);
    else await pair(a, b, plaintext, 1);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, sessionA: a.sessionSize(b), sessionB: b.sessionSize(a) };
}

async function measure(name, pingPong, plaintexts) {
  await runPass(pingPong, Math.min(pairs, kWarmUpPairs), plaintexts);  // let the JIT settle
  const seconds = [];
  const cpuSeconds = [];
  let last = null;
  for (let i = 0; i < passes; i++) {
    last = await runPass(pingPong, pairs, plaintexts);
    seconds.push(last.seconds);
    cpuSeconds.push(last.cpuSeconds);
  }
  const median = (v) => [...v].sort((x, y) => x - y)[Math.floor(v.length / 2)];
  const pairsPerSecond = pairs / median(seconds);
  const pairsPerCpuSecond = pairs / median(cpuSeconds);
  console.error(`baileys ${name.padEnd(9)} ${pairsPerSecond.toFixed(0).padStart(8)} pairs/s, ` +
                `${pairsPerCpuSecond.toFixed(0).padStart(8)} per CPU-second (median of ${passes}:` +
                `${seconds.map((s, i) => ` ${s.toFixed(3)}/${cpuSeconds[i].toFixed(3)} s`).join('')}); ` +
                `session A ${last.sessionA} B, B ${last.sessionB} B`);
  return { pairsPerSecond, pairsPerCpuSecond, sessionA: last.sessionA, sessionB: last.sessionB, seconds, cpuSeconds };
}

async function main() {
  const plaintexts = [];
  for (let i = 0; i < kDistinctMessages; i++) plaintexts.push(writeRandomPadMax16(nodeCrypto.randomBytes(kMessageSize)));
  const workloads = {
    'one-way': await measure('one-way', false, plaintexts),
    'ping-pong': await measure('ping-pong', true, plaintexts),
  };
  if (args.json) fs.writeFileSync(args.json, JSON.stringify({ pairs, messageSize: kMessageSize, workloads }, null, 1));
  if (!args.chorus) return;

  const chorus = JSON.parse(fs.readFileSync(args.chorus, 'utf8'));
  if (chorus.pairs !== pairs) throw new Error(`signal_bench ran ${chorus.pairs} pairs, this run ${pairs}`);
  console.log(`Signal sessions: ${pairs} encrypt+decrypt pairs of ${kMessageSize}-byte messages (padded), ` +
              `single thread; libsignal-protocol-c (Chorus) vs libsignal@${libsignalVersion} ` +
              `(baileys@${peer.version}) on node ${process.version}`);
  const rows = [['workload', 'clock', 'Chorus pairs/s', 'Baileys pairs/s', 'ratio', 'target',
                 'Chorus session A/B', 'Baileys session A/B']];
  for (const name of ['one-way', 'ping-pong']) {
    const c = chorus.workloads[name];
    const b = workloads[name];
    for (const [clock, key] of [['wall', 'pairsPerSecond'], ['CPU', 'pairsPerCpuSecond']]) {
      const wall = clock === 'wall';
      rows.push([wall ? name : '', clock, c[key].toFixed(0), b[key].toFixed(0),
                 (c[key] / b[key]).toFixed(1) + 'x', wall ? `>= ${kTargetRatio}x` : '',
                 wall ? `${c.sessionA}/${c.sessionB} B` : '', wall ? `${b.sessionA}/${b.sessionB} B` : '']);
    }
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
}

main().catch((e) => { console.error(`baileys_signal_bench: ${e.stack || e}`); process.exit(1); });
