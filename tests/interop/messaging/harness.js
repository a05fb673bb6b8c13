// Shared pieces of the messaging interop tests (tests/interop/messaging): chorus-sim, chorus-cli
// processes on data folders of their own (JSON lines collected while they run), linking a
// chorus-cli account through the simulated phone, Baileys 6.17.16 clients (from
// tests/integration/sim/sim_harness.js) with what they encrypted and received, and strict
// counting helpers. Every failure exits the process with status 1.
//
// Usage of a test: node X_test.js --sim PATH/chorus-sim --cli PATH/chorus-cli
//   (CHORUS_NODE_MODULES = Baileys' node_modules; KEEP=1 keeps the data folders for a post-mortem)
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const readline = require('readline');
const sh = require('../../integration/sim/sim_harness');

const { fail, check, until, argValue, userJid, textOf } = sh;
const name = path.basename(process.argv[1], '.js');
const log = (msg) => console.log(`${name}: ${msg}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Short reconnect and keepalive delays for every chorus-cli process (docs/cli.md).
const kTiming = 'reconnect_base_ms=200,slow_retry_ms=2000,connect_timeout_ms=10000';
const kPassphrase = 'interop messaging passphrase';

// libsignal prints whole session records (keys included) when it closes one: keep them out.
const consoleInfo = console.info;
console.info = (...args) => { if (args[0] !== 'Closing session:' && args[0] !== 'Closing open session in favor of incoming prekey bundle') consoleInfo(...args); };

const children = new Set();

// The setup every test shares: a time limit, chorus-sim (--sim) and chorus-cli (--cli), Baileys,
// one temporary root (sim/ and one folder per chorus-cli data dir) removed at exit, every child
// killed at exit. Returns { sim, baileys, root, cliPath }.
function startTest({ tag, timeoutMs = 100000 } = {}) {
  setTimeout(() => fail(`timed out after ${timeoutMs / 1000} s`), timeoutMs).unref();
  const simPath = argValue('--sim');
  const cliPath = argValue('--cli');
  check(simPath && fs.existsSync(simPath), `chorus-sim not found: ${simPath}`);
  check(cliPath && fs.existsSync(cliPath), `chorus-cli not found: ${cliPath}`);
  const baileys = sh.loadBaileys();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `chorus-interop-${tag}-`));
  fs.mkdirSync(path.join(root, 'sim'));
  const sim = new sh.Sim(simPath, path.join(root, 'sim'));
  process.on('exit', () => {
    for (const c of children) { try { c.kill('SIGKILL'); } catch { /* gone */ } }
    sim.kill();
    if (process.env.KEEP) console.error(`${name}: kept ${root}`);
    else fs.rmSync(root, { recursive: true, force: true });
  });
  process.on('unhandledRejection', (err) => fail(`unexpected rejection: ${err && err.stack || err}`));
  return { sim, baileys, root, cliPath };
}

function run(main, sim) {
  const start = Date.now();
  main().then(async () => {
    await sim.stop();
    log(`all passed in ${((Date.now() - start) / 1000).toFixed(1)} s`);
    process.exit(0);
  }).catch((err) => fail(err && err.stack || String(err)));
}

// One chorus-cli process. `lines` are its stdout JSON lines as they come; `done` resolves to its
// exit code (or the signal's name).
class CliRun {
  constructor(cliPath, args, env, input) {
    this.args = args;
    this.lines = [];
    this.stdout = '';
    this.stderr = '';
    this.code = undefined;
    const child = spawn(cliPath, args, { env, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    this.child = child;
    children.add(child);
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      this.stdout += `${line}\n`;
      if (!line.startsWith('{')) return;
      try { this.lines.push(JSON.parse(line)); } catch { fail(`chorus-cli ${args.join(' ')}: not JSON: ${line}`); }
    });
    child.stderr.on('data', (d) => { this.stderr += d.toString('utf8'); });
    this.done = new Promise((resolve) => child.on('close', (code, signal) => {
      children.delete(child);
      this.code = code === null ? signal : code;
      resolve(this.code);
    }));
    if (input !== undefined) { child.stdin.on('error', () => {}); child.stdin.end(input); }
  }

  get running() { return this.code === undefined; }
  events(event) { return this.lines.filter((l) => l.event === event); }
  transcript() { return `chorus-cli ${this.args.join(' ')} (exit ${this.code})\nstdout:\n${this.stdout.slice(-4000)}stderr:\n${this.stderr.slice(-4000)}`; }

  // Waits until `predicate(this)` holds; fails when the process ends first or after `ms`.
  async until(what, predicate, ms = 30000) {
    const start = Date.now();
    while (!predicate(this)) {
      if (!this.running) { await sleep(50); if (predicate(this)) return; fail(`${what}: chorus-cli ended first\n${this.transcript()}`); }
      if (Date.now() - start > ms) fail(`timed out waiting for ${what}\n${this.transcript()}`);
      await sleep(20);
    }
  }

  async exit(ms = 30000) {
    const timer = new Promise((r) => setTimeout(() => r('timeout'), ms));
    const code = await Promise.race([this.done, timer]);
    if (code === 'timeout') { this.child.kill('SIGKILL'); await this.done; fail(`chorus-cli did not exit within ${ms} ms\n${this.transcript()}`); }
    return code;
  }

  // SIGTERM: a clean stop (listen exits 0).
  async stop() {
    if (!this.running) return this.code;
    this.child.kill('SIGTERM');
    return this.exit(15000);
  }

  // SIGKILL: a crash.
  async crash() {
    if (!this.running) return this.code;
    this.child.kill('SIGKILL');
    return this.done;
  }
}

// One chorus-cli data folder (one Chorus "installation"), talking to `sim`.
class Chorus {
  constructor(cliPath, sim, dir, { timing = kTiming } = {}) {
    this.cliPath = cliPath; this.sim = sim; this.dir = dir; this.timing = timing;
    fs.mkdirSync(dir, { recursive: true });
  }

  env() {
    return { ...process.env, CHORUS_PASSPHRASE: kPassphrase, CHORUS_TEST_TIMING: this.timing };
  }

  spawn(args, input) {
    return new CliRun(this.cliPath, ['--data', this.dir, '--server', path.join(this.sim.dataDir, 'server.json'), ...args], this.env(), input);
  }

  // Runs a command to its end; fails unless it exits with `expect` (0). Returns the CliRun.
  async run(args, { input, ms = 60000, expect = 0 } = {}) {
    const r = this.spawn(args, input);
    const code = await r.exit(ms);
    if (expect !== null && code !== expect) fail(`expected exit ${expect}\n${r.transcript()}`);
    return r;
  }

  // accounts add NAME → link NAME --json → the phone of `phone` scans the first QR → linked and
  // ready. Returns this chorus's device JID ("<phone>:<n>@s.whatsapp.net").
  async link(account, phone) {
    this.account = account;
    this.phone = phone;
    await this.run(['accounts', 'add', account]);
    const link = this.spawn(['link', account, '--json', '--timeout', '60']);
    await link.until(`${account}: a QR code`, (r) => r.events('qr').length > 0);
    const scan = await this.sim.control('POST', `/accounts/${phone}/scan`, { qr: link.events('qr')[0].code });
    check(scan.status === 202, `${account}: scan answered ${scan.status} ${JSON.stringify(scan.body)}`);
    const code = await link.exit(60000);
    check(code === 0 && link.events('linked').length === 1, `${account}: link failed\n${link.transcript()}`);
    this.device = scan.body.device;
    return this.device;
  }

  listen() { return this.spawn(['listen', this.account]); }

  // send --stdin: one message per text; resolves to the CliRun (not waited for).
  sendMany(chat, texts, { wait = 'sent', timeout = 60 } = {}) {
    return this.spawn(['send', this.account, chat, '--stdin', '--wait', wait, '--timeout', String(timeout)], `${texts.join('\n')}\n`);
  }

  // messages ACCOUNT CHAT: every stored message of the chat, oldest first (docs/cli.md: pages
  // oldest first; page back with --before <the page's first id> until a page is empty). A page
  // that repeats an id already printed fails (pages in the wrong order would never end).
  async messages(chat) {
    let all = [];
    const seen = new Set();
    for (let before = null; ;) {
      const r = await this.run(['messages', this.account, chat, '--limit', '500', ...(before ? ['--before', before] : [])]);
      if (r.lines.length === 0) return all;
      check(r.lines.length <= 500, `messages printed ${r.lines.length} lines for --limit 500`);
      const again = r.lines.filter((m) => seen.has(m.id));
      check(again.length === 0, `messages --before ${before}: ${again.length} of its ${r.lines.length} lines were on the page before ` +
                                `(first ${r.lines[0].text}, last ${r.lines[r.lines.length - 1].text}): not oldest first?`);
      for (const m of r.lines) seen.add(m.id);
      all = [...r.lines, ...all];
      before = r.lines[0].id;
    }
  }
}

// A listen process started on `chorus` that follows messages and updates by id.
function followListen(chorus) {
  const r = chorus.listen();
  r.messagesById = () => countBy(r.events('message'), (l) => l.id);
  r.statusOf = (id) => {
    const ups = r.lines.filter((l) => l.event === 'message_update' && l.id === id && l.status);
    return ups.length ? ups[ups.length - 1].status : undefined;
  };
  r.ready = () => r.until('listen: ready', (x) => x.lines.some((l) => l.event === 'status' && l.state === 'ready'), 30000);
  return r;
}

// A Baileys client linked to `phone`, with its own store of what it sent (for getMessage,
// which answers retry receipts) and of what it encrypted: `encs` lists {jid, type} for every
// Signal message it produced (pkmsg or msg), observed on signalRepository.encryptMessage.
async function baileysClient(baileys, sim, phone, socketOptions = {}) {
  const sent = new Map();
  const socket = { getMessage: async (key) => sent.get(key.id), ...socketOptions };
  const linked = await sh.pairClient(baileys, sim, phone, { socket });
  const client = linked.client;
  const encs = [];
  const repo = client.sock.signalRepository;
  const encrypt = repo.encryptMessage.bind(repo);
  repo.encryptMessage = async (args) => {
    const result = await encrypt(args);
    encs.push({ jid: args.jid, type: result.type });
    return result;
  };
  const send = async (jid, text) => {
    const m = await client.sock.sendMessage(jid, { text });
    sent.set(m.key.id, m.message);
    return m;
  };
  return { ...linked, sock: client.sock, seen: client.seen, encs, sent, send, phone };
}

// Upserts that came over the wire (Baileys also upserts what it sends itself; those have ids of
// its own and no raw <message> node).
function received(client) {
  const wire = new Set(client.seen.messages.map((n) => n.attrs.id));
  return client.seen.upserts.filter((m) => wire.has(m.key.id) && m.message);
}

// The ids a receipt node covers: its id and its <list><item id/></list>.
function receiptIds(node) {
  const ids = [node.attrs.id];
  const list = Array.isArray(node.content) && node.content.find((c) => c.tag === 'list');
  if (list && Array.isArray(list.content)) for (const item of list.content) if (item.attrs && item.attrs.id) ids.push(item.attrs.id);
  return ids;
}

// id → set of receipt types ('' = delivery, 'read', 'retry', ...) from `device`'s receipts.
function receiptsFrom(client, device) {
  const out = new Map();
  for (const r of client.seen.receipts) {
    if (r.attrs.from !== device && r.attrs.participant !== device) continue;
    const type = r.attrs.type === 'inactive' ? '' : (r.attrs.type || '');
    for (const id of receiptIds(r)) {
      if (!out.has(id)) out.set(id, new Set());
      out.get(id).add(type);
    }
  }
  return out;
}

function countBy(items, key) {
  const m = new Map();
  for (const x of items) m.set(key(x), (m.get(key(x)) || 0) + 1);
  return m;
}

// Fails unless `ids` (an array) holds each of `expected` exactly once and nothing else.
function exactlyOnce(what, ids, expected) {
  const counts = countBy(ids, (x) => x);
  const doubled = [...counts].filter(([, n]) => n > 1).map(([id, n]) => `${id}×${n}`);
  const want = new Set(expected);
  const missing = expected.filter((id) => !counts.has(id));
  const extra = [...counts.keys()].filter((id) => !want.has(id));
  check(doubled.length === 0 && missing.length === 0 && extra.length === 0,
        `${what}: ${expected.length} expected, ${ids.length} seen; doubled [${doubled.slice(0, 10)}] missing ${missing.length} [${missing.slice(0, 10)}] unexpected ${extra.length} [${extra.slice(0, 10)}]`);
}

const texts = (prefix, n) => Array.from({ length: n }, (_, i) => `${prefix} ${String(i + 1).padStart(3, '0')}`);

module.exports = {
  ...sh, kTiming, name, log, sleep, startTest, run, CliRun, Chorus, followListen, baileysClient, received,
  receiptIds, receiptsFrom, countBy, exactlyOnce, texts, userJid, textOf, check, fail, until,
};
