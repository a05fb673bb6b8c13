// chorus-sim's session controls (control API, protocol notes §4.7, §13, §15.8) against Baileys
// 6.17.16, checking the statusCode Baileys reports in connection.update 'close':
//   1. pairing a second device of A sends A:1 <notification type="devices"><add><device jid=A:2>;
//   2. DELETE /devices/A/2 → A:2 closes with 401 loggedOut; A:1 gets <remove>; its next login is
//      refused with 401; Baileys' logout() (md remove-companion-device) of A:3 does the same;
//   3. POST /devices/A/1/replace → 440 connectionReplaced; live 515 → 515 restartRequired and
//      the reconnect opens; live 503 → 503; <xmlstreamend/> → 428; abort → 428;
//   4. bans: 402 (code 101, expire) ends the live connection with 402 and refuses logins with
//      402 and the same code until DELETE lifts it; 403 and 406 at login; GET shows the ban;
//   5. PUT /config min_version above Baileys' version → 405 at login; cleared → open;
//   6. GET /devices/B/1/queue lists what waits for an offline device; errors are JSON with codes.
// Usage: node sim_controls_test.js --sim PATH/chorus-sim   (CHORUS_NODE_MODULES = Baileys' node_modules)
'use strict';
const h = require('./sim_harness');

const { check } = h;
const { sim, baileys } = h.startTest({ tag: 'controls' });
const { DisconnectReason } = baileys;

const A = '15550004001';
const B = '15550004002';

// Records <notification type="devices"> nodes of a client.
function watchDevices(client) {
  client.devices = [];
  client.sock.ws.on('CB:notification', (node) => { if (node.attrs.type === 'devices') client.devices.push(node); });
  return client;
}

async function closedWith(client, what, ms = 10000) {
  await h.until(`${what}: close`, () => client.seen.closed, ms);
  return h.statusOf(client.seen.closed);
}

async function connectionId(jid) {
  const list = (await sim.control('GET', '/connections')).body;
  const entry = list.find((c) => c.jid === jid);
  check(entry, `no live connection for ${jid}: ${JSON.stringify(list)}`);
  return entry.id;
}

async function reopen(auth, what) {
  const client = h.connect(baileys, sim.info, auth);
  await h.until(`${what}: open`, () => client.seen.open || client.seen.closed);
  check(client.seen.open, `${what}: closed with ${h.statusOf(client.seen.closed)} instead of opening`);
  return client;
}

async function refusedAtLogin(auth, what) {
  const client = h.connect(baileys, sim.info, auth);
  const status = await closedWith(client, what);
  check(!client.seen.open, `${what}: opened`);
  return { status, client };
}

async function main() {
  await sim.start();
  for (const phone of [A, B]) check((await sim.control('POST', '/accounts', { phone })).status === 201, `account ${phone}`);

  // 1. devices notification on pairing.
  const a1 = await h.pairClient(baileys, sim, A);
  watchDevices(a1.client);
  const a2 = await h.pairClient(baileys, sim, A);
  await h.until('A:1: devices <add>', () => a1.client.devices.length > 0);
  const add = a1.client.devices[0].content[0];
  check(add.tag === 'add' && add.content[0].attrs.jid === a2.device && add.content[0].attrs['key-index'] === '2' &&
        add.content.some((c) => c.tag === 'key-index-list'), `devices add ${JSON.stringify(add)}`);
  console.log('ok 1 - pairing A:2 sends A:1 a devices <add> with key-index and key-index-list');

  // 2. Unlink and logout.
  const unlink = await sim.control('DELETE', `/devices/${A}/2`);
  check(unlink.status === 200 && unlink.body.removed === a2.device, `unlink ${unlink.status} ${JSON.stringify(unlink.body)}`);
  check(await closedWith(a2.client, 'A:2 unlinked') === DisconnectReason.loggedOut, `unlink: ${h.statusOf(a2.client.seen.closed)}`);
  await h.until('A:1: devices <remove>', () => a1.client.devices.length > 1);
  check(a1.client.devices[1].content[0].tag === 'remove', `devices remove ${JSON.stringify(a1.client.devices[1].content[0])}`);
  check((await refusedAtLogin(a2.auth, 'A:2 after unlink')).status === 401, 'a login after unlink was not 401');
  check((await sim.control('DELETE', `/devices/${A}/2`)).status === 404, 'unlinking twice was not 404');
  check((await sim.control('DELETE', `/devices/${A}/x`)).status === 400, 'a bad device number was not 400');
  const a3 = await h.pairClient(baileys, sim, A);
  await a3.client.sock.logout();
  await h.until('A:1: devices <remove> after logout', () => a1.client.devices.filter((n) => n.content[0].tag === 'remove').length === 2);
  check(!(await sim.control('GET', '/devices')).body.some((d) => d.jid === a3.device), 'A:3 still listed after logout');
  check((await refusedAtLogin(a3.auth, 'A:3 after logout')).status === 401, 'a login after logout was not 401');
  console.log('ok 2 - unlink → 401 loggedOut + devices <remove>; relogin 401; logout() behaves the same');

  // 3. Replace, 515, 503, xmlstreamend, abort.
  let a = a1.client;
  check((await sim.control('POST', `/devices/${A}/1/replace`)).status === 200, 'replace');
  check(await closedWith(a, 'replace') === DisconnectReason.connectionReplaced, `replace: ${h.statusOf(a.seen.closed)}`);
  check((await sim.control('POST', `/devices/${A}/1/replace`)).status === 404, 'replacing an offline device was not 404');
  const live = [
    ['stream-error', { code: 515 }, DisconnectReason.restartRequired],
    ['stream-error', { code: 503 }, 503],
    ['stream-end', undefined, DisconnectReason.connectionClosed],
    ['abort', undefined, DisconnectReason.connectionClosed],
  ];
  for (const [action, body, expected] of live) {
    a = await reopen(a1.auth, `A:1 before ${action}`);
    const id = await connectionId(a1.device);
    const r = await sim.control('POST', `/connections/${id}/${action}`, body);
    check(r.status === 200, `${action}: ${r.status} ${JSON.stringify(r.body)}`);
    const status = await closedWith(a, action);
    check(status === expected, `${action} ${JSON.stringify(body)}: Baileys reported ${status}, expected ${expected}`);
  }
  check((await sim.control('POST', '/connections/999999/abort')).status === 404, 'an unknown connection was not 404');
  a = await reopen(a1.auth, 'A:1 after the restart');
  check((await sim.control('POST', `/connections/${await connectionId(a1.device)}/stream-error`, { code: 'x' })).status === 400,
        'a bad stream error code was not 400');
  console.log('ok 3 - replace → 440; 515 → restartRequired, reconnect opens; 503; xmlstreamend → 428; abort → 428');

  // 4. Bans.
  const ban = await sim.control('POST', `/accounts/${A}/ban`, { reason: 402, code: 101, expire: 3600 });
  check(ban.status === 201 && ban.body.reason === 402 && ban.body.code === 101, `ban ${ban.status} ${JSON.stringify(ban.body)}`);
  check(await closedWith(a, 'live 402') === 402, `live ban: ${h.statusOf(a.seen.closed)}`);
  check(a.seen.closed.data && a.seen.closed.data.code === '101' && +a.seen.closed.data.expire > 3500,
        `live 402 attributes ${JSON.stringify(a.seen.closed.data)}`);
  const refused = await refusedAtLogin(a1.auth, 'login while banned');
  check(refused.status === 402 && refused.client.seen.closed.data.code === '101', `login while banned: ${refused.status}`);
  check((await sim.control('GET', `/accounts/${A}/ban`)).body.reason === 402, 'GET ban');
  check((await sim.control('DELETE', `/accounts/${A}/ban`)).status === 200, 'lift');
  check((await sim.control('DELETE', `/accounts/${A}/ban`)).status === 404, 'lifting twice was not 404');
  for (const reason of [403, 406]) {
    check((await sim.control('POST', `/accounts/${A}/ban`, { reason })).status === 201, `ban ${reason}`);
    check((await refusedAtLogin(a1.auth, `login with ${reason}`)).status === reason, `login with ban ${reason}`);
    check((await sim.control('DELETE', `/accounts/${A}/ban`)).status === 200, `lift ${reason}`);
  }
  check((await sim.control('POST', `/accounts/${A}/ban`, { reason: 401 })).status === 400, 'ban reason 401 was not 400');
  check((await sim.control('POST', `/accounts/${A}/ban`, { reason: 402 })).status === 400, 'a 402 without code was not 400');
  check((await sim.control('POST', '/accounts/15559999999/ban', { reason: 403 })).status === 404, 'ban of an unknown account was not 404');
  check((await sim.control('GET', `/accounts/${A}/ban`)).status === 404, 'GET of no ban was not 404');
  console.log('ok 4 - bans: live 402 (code, expire) and at login; 403 and 406 at login; lifted by DELETE');

  // 5. Outdated.
  check((await sim.control('PUT', '/config', { min_version: '2.3000.1019707847' })).status === 200, 'PUT /config');
  check((await refusedAtLogin(a1.auth, 'outdated login')).status === 405, 'an outdated login was not 405');
  check((await sim.control('PUT', '/config', { min_version: 'two' })).status === 400, 'a bad min_version was not 400');
  check((await sim.control('PUT', '/config', { min_version: '' })).body.min_version === '', 'clearing min_version');
  a = await reopen(a1.auth, 'A:1 after min_version was cleared');
  console.log('ok 5 - min_version above the client → 405 at login; cleared → open');

  // 6. Queue listing.
  const b = await h.pairClient(baileys, sim, B);
  b.client.sock.end(undefined);
  await new Promise((r) => setTimeout(r, 300));
  const sent = await a.sock.sendMessage(`${B}@s.whatsapp.net`, { text: 'queued' });
  await new Promise((r) => setTimeout(r, 300));
  const queue = await sim.control('GET', `/devices/${B}/1/queue`);
  check(queue.status === 200 && queue.body.length === 1 && queue.body[0].tag === 'message' && queue.body[0].attrs.id === sent.key.id &&
        queue.body[0].attrs.from === a1.device, `queue ${JSON.stringify(queue.body)}`);
  check((await sim.control('GET', `/devices/${B}/7/queue`)).status === 404, 'the queue of an unknown device was not 404');
  a.sock.end(undefined);
  console.log('ok 6 - GET /devices/{phone}/{n}/queue lists the queued message');
}

h.run(main, sim);
