// Proof 3: Baileys' makeNoiseHandler (the client) against Chorus's Noise responder (noise_peer).
// Several handshakes over loopback TCP (one with an "ED" routing prefix); after each, nodes of
// many sizes go both ways, written merged (several frames per write) and split (frames cut at
// arbitrary points, on both sides), and every echo must decode in Baileys to what was sent.
// Usage: node noise_client.js --peer PATH/noise_peer [--connections 5]
'use strict';
const { spawn } = require('child_process');
const net = require('net');
const peer = require('./peer');
const corpus = require('./corpus');

const args = peer.parseArgs(process.argv.slice(2));
const connections = Number(args.connections || 5);
const { baileys } = peer;
const { proto } = baileys;
const logger = { child: () => logger, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const rng = corpus.makeRng(0x5eed);

const fail = (msg) => { console.error(`noise_client: FAIL: ${msg}`); process.exit(1); };
setTimeout(() => fail('timed out after 120 s'), 120000).unref();


// The nodes one connection sends: sizes around every length-prefix boundary, up to 3 MiB, and
// realistic stanzas from the interop corpus generator.
function payloadNodes(conn) {
  const sizes = [0, 1, 100, 255, 256, 1000, 4096, 65535, 65536, 200000, 1 << 20, 3 << 20];
  const nodes = sizes.map((n, i) => ({ tag: 'blob', attrs: { i: String(i), conn: String(conn) }, content: rng.bytes(n) }));
  for (const n of corpus.generate(1000 + conn, 25, { edges: false })) nodes.push(corpus.toBaileys(n));
  return nodes;
}

// Writes `frames` to the socket merged into one write, or cut at random points.
function writeFrames(sock, frames, mode) {
  const all = Buffer.concat(frames);
  if (mode === 'merged') { sock.write(all); return; }
  for (let off = 0; off < all.length;) {
    const n = mode === 'bytes' && all.length < 4096 ? 1 : 1 + Math.floor(rng.next() * Math.min(all.length, 70000));
    sock.write(all.subarray(off, off + n));
    off += n;
  }
}

async function runConnection(port, conn) {
  const routingInfo = conn === 2 ? rng.bytes(17) : undefined;
  const ephemeral = baileys.Curve.generateKeyPair();
  const noiseKey = baileys.Curve.generateKeyPair();
  const noise = baileys.makeNoiseHandler({ keyPair: ephemeral, NOISE_HEADER: baileys.NOISE_WA_HEADER, logger, routingInfo });
  const sock = net.connect({ port, host: '127.0.0.1' });
  sock.setNoDelay(true);
  await new Promise((resolve, reject) => { sock.once('connect', resolve); sock.once('error', reject); });

  // Incoming bytes are re-cut at random points before Baileys' frame decoder sees them.
  const inbox = [];
  let waiter = null;
  let chain = Promise.resolve();
  let closed = false;
  sock.on('data', (data) => {
    chain = chain.then(async () => {
      for (let off = 0; off < data.length;) {
        // Small pieces split frames everywhere; pieces grow with the chunk so that Baileys'
        // reassembly (which concatenates its buffer per piece) stays linear-ish on MiB frames.
        const n = 1 + Math.floor(rng.next() * Math.max(64, data.length / 4));
        await noise.decodeFrame(data.subarray(off, off + n), (frame) => { inbox.push(frame); });
        off += n;
      }
      if (waiter && inbox.length) { const w = waiter; waiter = null; w(); }
    }).catch((e) => fail(`connection ${conn}: Baileys could not read a frame: ${e.stack}`));
  });
  sock.on('close', () => { closed = true; if (waiter) { const w = waiter; waiter = null; w(); } });
  sock.on('error', (e) => fail(`connection ${conn}: socket error ${e.message}`));
  const next = async () => {
    while (!inbox.length) {
      if (closed) fail(`connection ${conn}: closed by noise_peer while waiting for a frame`);
      await new Promise((resolve) => { waiter = resolve; });
    }
    return inbox.shift();
  };

  // Handshake, as Baileys' socket does it.
  sock.write(noise.encodeFrame(proto.HandshakeMessage.encode({ clientHello: { ephemeral: ephemeral.public } }).finish()));
  const serverHello = proto.HandshakeMessage.decode(await next());
  const keyEnc = await noise.processHandshake(serverHello, noiseKey);
  const config = { version: [2, 3000, 1019707846], browser: baileys.Browsers.ubuntu('Chrome'), countryCode: 'US', syncFullHistory: false };
  const payload = proto.ClientPayload.encode(baileys.generateLoginNode(`1555000${1000 + conn}:${conn + 1}@s.whatsapp.net`, config)).finish();
  const payloadEnc = noise.encrypt(payload);
  const finishFrame = noise.encodeFrame(proto.HandshakeMessage.encode({ clientFinish: { static: keyEnc, payload: payloadEnc } }).finish());
  // Switch to transport keys before the responder can answer, or its first frame would race
  // the (async) finishInit and be taken for a handshake frame.
  await noise.finishInit();
  sock.write(finishFrame);

  const success = await next();
  if (success.tag !== 'success') fail(`connection ${conn}: expected <success>, got <${success.tag}>`);
  if (success.attrs.client_static !== Buffer.from(noiseKey.public).toString('hex')) fail(`connection ${conn}: responder saw another client static key`);
  if (success.attrs.payload !== Buffer.from(payload).toString('hex')) fail(`connection ${conn}: responder decrypted another ClientPayload`);
  if (success.attrs.routing !== (routingInfo ? routingInfo.toString('hex') : '')) fail(`connection ${conn}: routing info not seen by the frame decoder`);

  // Transport: echoes of every node, written in three ways.
  const nodes = payloadNodes(conn);
  let bytesSent = 0;
  const modes = ['merged', 'random', 'bytes'];
  for (let start = 0, round = 0; start < nodes.length; round++) {
    const batch = nodes.slice(start, start + 1 + (round % 5));
    start += batch.length;
    const plain = batch.map((n) => peer.encodeBinaryNode(n));
    const frames = plain.map((p) => noise.encodeFrame(p));
    bytesSent += frames.reduce((a, f) => a + f.length, 0);
    writeFrames(sock, frames, modes[round % modes.length]);
    for (const [k, sent] of batch.entries()) {
      const echo = await next();
      const want = peer.shapeJson(peer.decodeFrame(plain[k], peer.constants));
      const got = peer.shapeJson(echo);
      if (got !== want) fail(`connection ${conn}: echo of <${sent.tag}> differs\n  want ${want.slice(0, 200)}\n  got  ${got.slice(0, 200)}`);
    }
  }

  // Server bursts: many frames in one send, then a reply sent one byte per send().
  let received = 0;
  for (const [count, seed, split] of [[20, conn * 10 + 1, false], [7, conn * 10 + 2, true]]) {
    const frames = [];
    if (split) frames.push(noise.encodeFrame(peer.encodeBinaryNode({ tag: 'split', attrs: {} })));
    frames.push(noise.encodeFrame(peer.encodeBinaryNode({ tag: 'burst', attrs: { count: String(count), seed: String(seed) } })));
    writeFrames(sock, frames, 'merged');
    for (let i = 0; i < count; i++) {
      const item = await next();
      const sizes = [0, 1, 255, 256, 4096, 70000];
      const size = sizes[(seed + i) % sizes.length];
      const want = Buffer.alloc(size);
      for (let k = 0; k < size; k++) want[k] = (seed * 31 + i * 7 + k) & 0xff;
      if (item.tag !== 'burst-item' || item.attrs.i !== String(i) || !Buffer.from(item.content || []).equals(want)) {
        fail(`connection ${conn}: burst ${seed} item ${i} differs: ${peer.shapeJson(item).slice(0, 200)}`);
      }
      received++;
    }
  }
  writeFrames(sock, [noise.encodeFrame(peer.encodeBinaryNode({ tag: 'bye', attrs: {} }))], 'merged');
  await new Promise((resolve) => { if (closed) resolve(); else sock.once('close', resolve); });
  return { nodes: nodes.length, bytesSent, received };
}

(async () => {
  const t0 = process.hrtime.bigint();
  const child = spawn(args.peer, ['--connections', String(connections)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const port = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on('error', reject);
    child.on('exit', () => reject(new Error('noise_peer exited before listening')));
  }).catch((e) => fail(e.message));

  for (let conn = 0; conn < connections; conn++) {
    const r = await runConnection(port, conn);
    console.log(`connection ${conn}: handshake ok${conn === 2 ? ' (with ED routing prefix)' : ''}; ` +
                `${r.nodes} nodes echoed (${(r.bytesSent / 1048576).toFixed(1)} MiB client->server), ${r.received} burst frames server->client`);
  }
  const { code, signal } = await exited;
  if (code !== 0) fail(`noise_peer exited with ${code === null ? signal : code}`);
  console.log(`noise_client: ${connections} Noise sessions between baileys@${peer.version} makeNoiseHandler and Chorus's NoiseResponder passed in ${(Number(process.hrtime.bigint() - t0) / 1e6).toFixed(0)} ms`);
})().catch((e) => fail(e.stack));
