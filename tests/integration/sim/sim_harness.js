// Shared pieces of the chorus-sim integration tests that drive Baileys 6.17.16 from node:
// starting and stopping chorus-sim, its HTTP control API, an in-memory Baileys key store, and
// linking a fresh Baileys client to an account through the simulated phone (QR → scan → 515 →
// reconnect → connection 'open'). Every failure exits the process with status 1.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const readline = require('readline');

const name = path.basename(process.argv[1], '.js');
const fail = (msg) => { console.error(`${name}: FAIL: ${msg}`); process.exit(1); };
const check = (cond, msg) => { if (!cond) fail(msg); };

function argValue(flag) {
  const i = process.argv.indexOf(flag);
  return i > 0 ? process.argv[i + 1] : undefined;
}

function loadBaileys() {
  const nodeModules = process.env.CHORUS_NODE_MODULES;
  if (!nodeModules || !fs.existsSync(path.join(nodeModules, 'baileys', 'package.json'))) {
    fail(`Baileys not found: CHORUS_NODE_MODULES=${nodeModules || '(unset)'}; run scripts/interop-peer.sh`);
  }
  const load = (id) => require(require.resolve(id, { paths: [nodeModules] }));
  const version = load('baileys/package.json').version;
  check(version === '6.17.16', `expected baileys@6.17.16, found ${version}`);
  return load('baileys');
}

// A quiet pino-like logger that records what Baileys logs at error level (failed init queries,
// failed message handling), so tests can insist on none.
function recordingLogger(errors) {
  const logger = { level: 'info', child() { return logger; }, trace() {}, debug() {}, info() {}, warn() {},
                   error(obj, msg) { errors.push(`${msg || ''} ${obj && (obj.err || obj.error || obj.trace) || JSON.stringify(obj)}`); },
                   fatal(obj, msg) { errors.push(`fatal ${msg || ''}`); } };
  return logger;
}

async function until(what, predicate, ms = 15000) {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > ms) fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// chorus-sim as a child process; start() resolves to its parsed ready line (the raw line is kept
// in `line`). `extraArgs` go before --log-level (e.g. ['--sandbox']).
class Sim {
  constructor(simPath, dataDir, extraArgs = []) {
    this.simPath = simPath; this.dataDir = dataDir; this.extraArgs = extraArgs; this.child = null;
  }

  async start() {
    const child = spawn(this.simPath, ['--data', this.dataDir, ...this.extraArgs, '--log-level', process.env.SIM_LOG || 'warn'],
                        { stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise((resolve, reject) => {
      readline.createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`chorus-sim exited with ${code} before it was ready`)));
    });
    this.child = child;
    this.line = line;
    this.info = JSON.parse(line);
    check(/^http:\/\/127\.0\.0\.1:\d+$/.test(this.info.control || ''), `no control URL in ${line}`);
    return this.info;
  }

  async stop() {
    const child = this.child;
    if (!child) return;
    this.child = null;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  kill() { if (this.child) this.child.kill('SIGKILL'); }

  // One control API call: resolves to { status, body } (body parsed as JSON).
  control(method, urlPath, body) {
    const url = new URL(urlPath, this.info.control);
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = http.request(url, { method, headers: data ? { 'content-type': 'application/json', 'content-length': data.length } : {} }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed = null;
          try { parsed = text ? JSON.parse(text) : null; } catch { reject(new Error(`${method} ${urlPath}: not JSON: ${text}`)); return; }
          resolve({ status: res.statusCode, body: parsed });
        });
      });
      req.on('error', reject);
      if (data) req.write(data);
      req.end();
    });
  }
}

// The setup every test shares: a time limit, chorus-sim from --sim, Baileys, a fresh data dir
// (chorus-sim-<tag>-*) removed at exit, and a Sim (with `simArgs`) killed at exit. Unhandled
// rejections fail the test unless `onRejection` takes them. Returns { sim, baileys, dataDir }.
function startTest({ tag, timeoutMs = 55000, simArgs = [], onRejection } = {}) {
  setTimeout(() => fail(`timed out after ${timeoutMs / 1000} s`), timeoutMs).unref();
  const simPath = argValue('--sim');
  check(simPath && fs.existsSync(simPath), `chorus-sim not found: ${simPath}`);
  const baileys = loadBaileys();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `chorus-sim-${tag}-`));
  const sim = new Sim(simPath, dataDir, simArgs);
  process.on('exit', () => { sim.kill(); fs.rmSync(dataDir, { recursive: true, force: true }); });
  process.on('unhandledRejection', onRejection || ((err) => fail(`unexpected rejection: ${err && err.stack || err}`)));
  return { sim, baileys, dataDir };
}

// Runs a test's main(); once it resolves, stops chorus-sim and reports success (exit 0). Any
// error fails the test.
function run(main, sim) {
  main().then(async () => {
    await sim.stop();
    console.log(`${name}: all passed`);
    process.exit(0);
  }).catch((err) => fail(err && err.stack || String(err)));
}

function memoryKeyStore() {
  const data = new Map();
  return {
    async get(type, ids) {
      const out = {};
      for (const id of ids) if (data.has(`${type}/${id}`)) out[id] = data.get(`${type}/${id}`);
      return out;
    },
    async set(changes) {
      for (const [type, values] of Object.entries(changes)) {
        for (const [id, value] of Object.entries(values)) {
          if (value) data.set(`${type}/${id}`, value); else data.delete(`${type}/${id}`);
        }
      }
    },
  };
}

// One Baileys socket plus what it saw. `auth` = { creds, keys } is kept across reconnects;
// `options.socket` adds makeWASocket options (qrTimeout, keepAliveIntervalMs, fetchAgent…).
function connect(baileys, info, auth, options = {}) {
  const makeWASocket = baileys.default || baileys.makeWASocket;
  const errors = [];
  const sock = makeWASocket({ waWebSocketUrl: info.ws, auth, logger: recordingLogger(errors), printQRInTerminal: false,
                              connectTimeoutMs: 15000, markOnlineOnConnect: false,
                              fireInitQueries: options.fireInitQueries !== false, ...(options.socket || {}) });
  const seen = { qrs: [], success: null, offline: null, closed: null, open: false, messages: [], receipts: [], upserts: [], errors, order: [] };
  sock.ws.on('CB:success', (node) => { seen.success = node; });
  sock.ws.on('CB:ib,,offline', (node) => { seen.offline = node; seen.order.push('ib:offline'); });
  sock.ws.on('CB:message', (node) => { seen.messages.push(node); seen.order.push(`message:${node.attrs.id}`); });
  sock.ws.on('CB:receipt', (node) => { seen.receipts.push(node); });
  sock.ev.on('messages.upsert', ({ messages }) => { seen.upserts.push(...messages); });
  sock.ev.on('connection.update', (update) => {
    if (update.qr) seen.qrs.push(update.qr);
    if (update.connection === 'open') seen.open = true;
    if (update.connection === 'close') seen.closed = (update.lastDisconnect && update.lastDisconnect.error) || new Error('closed');
  });
  return { sock, seen };
}

const statusOf = (err) => err && err.output && err.output.statusCode;
const userJid = (phone) => `${phone}@s.whatsapp.net`;
// The text of a Baileys message (conversation or extendedTextMessage), if any.
const textOf = (m) => m.message && (m.message.conversation || (m.message.extendedTextMessage && m.message.extendedTextMessage.text));

// Links a fresh Baileys client to `phone` (an account that exists) and reconnects it until
// connection 'open'. Returns { client: {sock, seen}, auth, device }.
async function pairClient(baileys, sim, phone, options = {}) {
  const auth = { creds: baileys.initAuthCreds(), keys: memoryKeyStore() };
  const reg = connect(baileys, sim.info, auth, options);
  await until(`${phone}: a QR code`, () => reg.seen.qrs.length > 0);
  const scan = await sim.control('POST', `/accounts/${phone}/scan`, { qr: reg.seen.qrs[0] });
  check(scan.status === 202, `${phone}: scan answered ${scan.status} ${JSON.stringify(scan.body)}`);
  await until(`${phone}: the 515 after pairing`, () => reg.seen.closed);
  check(statusOf(reg.seen.closed) === 515, `${phone}: pairing ended with ${statusOf(reg.seen.closed)} (${reg.seen.closed.message}), not 515`);
  check(auth.creds.me && auth.creds.me.id === scan.body.device, `${phone}: creds.me.id ${auth.creds.me && auth.creds.me.id} != ${scan.body.device}`);
  // A fresh pairing would keep Baileys' events buffered until an app-state key share arrives
  // (protocol notes §15.3); the simulated phone sends none yet, so the harness presets the key id.
  auth.creds.myAppStateKeyId = 'AAAAAA==';
  const client = connect(baileys, sim.info, auth, options);
  await until(`${phone}: connection 'open' after the reconnect`, () => client.seen.open);
  return { client, auth, device: scan.body.device, scan: scan.body };
}

// The first entry of GET /accounts/{phone}/inbox `messages` that `predicate` accepts, polled
// until it appears (fails after `ms`).
async function inboxEntry(sim, phone, predicate, what, ms = 10000) {
  const start = Date.now();
  for (;;) {
    const r = await sim.control('GET', `/accounts/${phone}/inbox`);
    check(r.status === 200, `GET /accounts/${phone}/inbox: ${r.status}`);
    const entry = r.body.messages.find(predicate);
    if (entry) return entry;
    if (Date.now() - start > ms) fail(`${what}: not in ${phone}'s inbox: ${JSON.stringify(r.body.messages)}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

module.exports = { fail, check, argValue, loadBaileys, until, Sim, startTest, run, memoryKeyStore, connect, statusOf, userJid, textOf, pairClient, inboxEntry };
