// chorus-sim groups (w:g2) and group message relay with three Baileys 6.17.16 clients:
//   1. A, B and C are linked; A creates a group with B and C (iq result with the metadata);
//      B and C get the w:gp2 <create> notification; B reads the metadata, C lists its groups;
//   2. A sends a group text: <participants> with the SKDMs plus one skmsg; B and C decrypt it;
//      then B and C each send one, which the two others decrypt; A's second text carries no
//      SKDM (skmsg only) and still arrives; every member's phone (device 0) decrypts them too
//      (inbox: the group as chat, the sender) and sends a group delivery receipt; a phone texts
//      the group (POST send with the group JID: SKDM pairwise + skmsg, then skmsg only); a phone reads the
//      group (POST read: read receipts to each sender, Baileys message-receipt.update);
//   3. add / promote / demote / remove of a fourth account: iq results and the notifications
//      the members receive; a non-admin's add is refused with 403.
// Usage: node sim_group_test.js --sim PATH/chorus-sim   (CHORUS_NODE_MODULES = Baileys' node_modules)
'use strict';
const h = require('./sim_harness');

const { check, userJid, textOf } = h;
const { sim, baileys } = h.startTest({ tag: 'group' });

const [A, B, C, D] = ['15550003001', '15550003002', '15550003003', '15550003004'];

function watchNotifications(client) {
  client.seen.notifications = [];
  client.sock.ws.on('CB:notification', (node) => client.seen.notifications.push(node));
}

const gp2 = (client, tag) => client.seen.notifications.filter((n) => n.attrs.type === 'w:gp2' && n.content && n.content[0].tag === tag);

async function groupText(from, to, gid, text) {
  const sent = await from.client.sock.sendMessage(gid, { text });
  for (const r of to) {
    await h.until(`${text}: decrypted by ${r.device}`, () => r.client.seen.upserts.some((m) => m.key.id === sent.key.id));
    const m = r.client.seen.upserts.find((u) => u.key.id === sent.key.id);
    check(textOf(m) === text && m.key.remoteJid === gid && m.key.participant && m.key.participant.startsWith(from.device.split(':')[0]),
          `${r.device} got ${JSON.stringify(m.key)} ${JSON.stringify(m.message)}`);
  }
  return sent;
}

async function main() {
  await sim.start();
  for (const phone of [A, B, C, D]) {
    const r = await sim.control('POST', '/accounts', { phone });
    check(r.status === 201, `POST /accounts ${phone}: ${r.status}`);
  }
  const a = await h.pairClient(baileys, sim, A);
  const b = await h.pairClient(baileys, sim, B);
  const c = await h.pairClient(baileys, sim, C);
  for (const x of [a, b, c]) watchNotifications(x.client);

  // 1. Create, metadata, participating.
  const meta = await a.client.sock.groupCreate('Chorus group', [userJid(B), userJid(C)]);
  check(/^120363\d+@g\.us$/.test(meta.id) && meta.subject === 'Chorus group' && meta.owner === userJid(A),
        `create result ${JSON.stringify(meta)}`);
  const roles = Object.fromEntries(meta.participants.map((p) => [p.id, p.admin]));
  check(meta.participants.length === 3 && roles[userJid(A)] === 'superadmin' && roles[userJid(B)] === null,
        `participants ${JSON.stringify(meta.participants)}`);
  const gid = meta.id;
  for (const x of [b, c]) await h.until(`${x.device}: create notification`, () => gp2(x.client, 'create').length === 1);
  const seenByB = await b.client.sock.groupMetadata(gid);
  check(seenByB.id === gid && seenByB.participants.length === 3, `B's metadata ${JSON.stringify(seenByB)}`);
  const all = await c.client.sock.groupFetchAllParticipating();
  check(all[gid] && all[gid].subject === 'Chorus group', `C's groups ${JSON.stringify(Object.keys(all))}`);
  console.log('ok 1 - group created; create notifications; metadata and participating list');

  // 2. Group messages in every direction.
  const rawOf = (x, id) => x.client.seen.messages.find((n) => n.attrs.id === id);
  const s1 = await groupText(a, [b, c], gid, 'hello group from A');
  const n1 = rawOf(b, s1.key.id);
  check(n1.attrs.from === gid && n1.attrs.participant === a.device, `group delivery attrs ${JSON.stringify(n1.attrs)}`);
  const types1 = n1.content.filter((x) => x.tag === 'enc').map((x) => x.attrs.type);
  check(types1.includes('pkmsg') && types1.includes('skmsg'), `first group message encs ${types1}`);
  await groupText(b, [a, c], gid, 'hello group from B');
  await groupText(c, [a, b], gid, 'hello group from C');
  const s4 = await groupText(a, [b, c], gid, 'A again');
  const types4 = rawOf(c, s4.key.id).content.filter((x) => x.tag === 'enc').map((x) => x.attrs.type);
  check(types4.length === 1 && types4[0] === 'skmsg', `second group message from A carried ${types4}`);
  for (const x of [a, b, c]) check(x.client.seen.errors.length === 0, `${x.device}: Baileys logged errors: ${x.client.seen.errors.join('; ')}`);
  console.log('ok 2 - group texts A → B,C; B → A,C; C → A,B; skmsg-only resend decrypted');

  // 2b. The members' phones (device 0) get the group texts too: SKDM (pkmsg) + skmsg.
  const s2 = a.client.seen.upserts.find((m) => textOf(m) === 'hello group from B');
  for (const [phone, id, text, sender] of [[B, s1.key.id, 'hello group from A', a.device], [C, s1.key.id, 'hello group from A', a.device],
                                            [A, s2.key.id, 'hello group from B', b.device], [C, s4.key.id, 'A again', a.device]]) {
    const e = await h.inboxEntry(sim, phone, (m) => m.id === id, `${text}: phone ${phone}`);
    check(e.chat === gid && e.from === sender && e.text === text && e.kind === 'text' && !e.fromMe && !e.read,
          `phone ${phone} inbox entry ${JSON.stringify(e)}`);
  }
  const ownCopy = await h.inboxEntry(sim, A, (m) => m.id === s1.key.id, "A's own phone: A's group text");
  check(ownCopy.fromMe && ownCopy.chat === gid && ownCopy.text === 'hello group from A', `A's phone ${JSON.stringify(ownCopy)}`);
  await h.until("A: the phones' group delivery receipts", () => [B, C].every((p) => a.client.seen.receipts.some((r) =>
    r.attrs.id === s1.key.id && r.attrs.from === gid && r.attrs.participant === userJid(p) && !r.attrs.type)));
  console.log("ok 2b - the members' phones decrypt group texts (inbox: group chat, sender) and send delivery receipts");

  // 2c. A phone texts the group: SKDM to every member device first, then skmsg only.
  const ps1 = await sim.control('POST', `/accounts/${C}/send`, { to: gid, text: 'hello group from the phone of C' });
  check(ps1.status === 202 && ps1.body.id, `phone group send: ${ps1.status} ${JSON.stringify(ps1.body)}`);
  const ps2 = await sim.control('POST', `/accounts/${C}/send`, { to: gid, text: 'phone of C again' });
  check(ps2.status === 202, `second phone group send: ${ps2.status}`);
  for (const [x, fromMe] of [[a, false], [b, false], [c, true]]) {
    for (const [id, text] of [[ps1.body.id, 'hello group from the phone of C'], [ps2.body.id, 'phone of C again']]) {
      await h.until(`${x.device}: the phone's group text`, () => x.client.seen.upserts.some((m) => m.key.id === id));
      const m = x.client.seen.upserts.find((u) => u.key.id === id);
      check(textOf(m) === text && m.key.remoteJid === gid && m.key.participant === userJid(C) && m.key.fromMe === fromMe,
            `${x.device} got ${JSON.stringify(m.key)} ${JSON.stringify(m.message)}`);
    }
    const encs = (id) => rawOf(x, id).content.filter((n) => n.tag === 'enc').map((n) => n.attrs.type).join(',');
    // The SKDM is a pkmsg, or a msg where the device's earlier pkmsg to the phone made a session.
    check(/^(pkmsg|msg),skmsg$/.test(encs(ps1.body.id)) && encs(ps2.body.id) === 'skmsg', `${x.device}: encs ${encs(ps1.body.id)} / ${encs(ps2.body.id)}`);
  }
  const atB = await h.inboxEntry(sim, B, (m) => m.id === ps1.body.id, "phone B: phone C's group text");
  check(atB.chat === gid && atB.from === userJid(C) && atB.text === 'hello group from the phone of C', `phone B ${JSON.stringify(atB)}`);
  const notMember = await sim.control('POST', `/accounts/${D}/send`, { to: gid, text: 'not a member' });
  check(notMember.status === 403, `non-member phone group send: ${notMember.status}`);
  console.log("ok 2c - a phone texts the group: every member's companions and phones decrypt it; 403 for non-members");

  // 2d. A phone reads the group: one read receipt per sender, to that sender's devices.
  const readUpdates = [];
  a.client.sock.ev.on('message-receipt.update', (list) => readUpdates.push(...list));
  const read = await sim.control('POST', `/accounts/${B}/read`, { chat: gid });
  check(read.status === 200 && [s1.key.id, s4.key.id, ps1.body.id].every((id) => read.body.read.includes(id)) && !read.body.read.includes(s2.key.id),
        `phone B read the group: ${read.status} ${JSON.stringify(read.body)}`);
  await h.until("A: phone B's group read receipt", () => a.client.seen.receipts.some((r) => r.attrs.type === 'read' && r.attrs.from === gid &&
    r.attrs.participant === userJid(B) && r.attrs.id === s1.key.id && r.content[0].content.some((i) => i.attrs.id === s4.key.id)));
  await h.until('A: message-receipt.update readTimestamp for both of its texts', () => [s1.key.id, s4.key.id].every((id) =>
    readUpdates.some((u) => u.key.id === id && u.receipt.userJid === userJid(B) && u.receipt.readTimestamp > 0)));
  check(!a.client.seen.receipts.some((r) => r.attrs.type === 'read' && r.attrs.id === ps1.body.id), "A got the read receipt meant for C");
  console.log('ok 2d - a phone reads the group: read receipts (id + <list>) to each sender, Baileys readTimestamp');

  // 3. Participant changes.
  const add = await a.client.sock.groupParticipantsUpdate(gid, [userJid(D)], 'add');
  check(add.length === 1 && add[0].status === '200', `add ${JSON.stringify(add)}`);
  const again = await a.client.sock.groupParticipantsUpdate(gid, [userJid(D)], 'add');
  check(again[0].status === '409', `second add ${JSON.stringify(again)}`);
  await h.until('B: add notification', () => gp2(b.client, 'add').length === 1);
  check(gp2(b.client, 'add')[0].content[0].content[0].attrs.jid === userJid(D), 'add notification names D');
  let refused = null;
  try { await b.client.sock.groupParticipantsUpdate(gid, [userJid(D)], 'remove'); } catch (err) { refused = err; }
  check(refused && refused.data === 403, `non-admin remove: ${refused && refused.message}`);
  const promote = await a.client.sock.groupParticipantsUpdate(gid, [userJid(B)], 'promote');
  check(promote[0].status === '200', `promote ${JSON.stringify(promote)}`);
  await h.until('C: promote notification', () => gp2(c.client, 'promote').length === 1);
  check((await c.client.sock.groupMetadata(gid)).participants.find((p) => p.id === userJid(B)).admin === 'admin', 'B is admin');
  const removeByB = await b.client.sock.groupParticipantsUpdate(gid, [userJid(D)], 'remove');
  check(removeByB[0].status === '200', `remove by the new admin ${JSON.stringify(removeByB)}`);
  const demote = await a.client.sock.groupParticipantsUpdate(gid, [userJid(B)], 'demote');
  check(demote[0].status === '200', `demote ${JSON.stringify(demote)}`);
  await h.until('C: remove and demote notifications', () => gp2(c.client, 'remove').length === 1 && gp2(c.client, 'demote').length === 1);
  const final = await a.client.sock.groupMetadata(gid);
  check(final.participants.length === 3 && final.participants.every((p) => p.id !== userJid(D)) &&
        final.participants.find((p) => p.id === userJid(B)).admin === null, `final ${JSON.stringify(final.participants)}`);
  console.log('ok 3 - add (409 on repeat), promote, remove by the new admin, demote; 403 for non-admins; notifications');

  await new Promise((r) => setTimeout(r, 300));
  const queued = (await sim.control('GET', '/devices')).body.filter((d) => d.device !== 0 && d.online).map((d) => d.queued);
  check(queued.every((q) => q === 0), `stanzas left unacked: ${JSON.stringify(queued)}`);
  for (const x of [a, b, c]) x.client.sock.end(undefined);
}

h.run(main, sim);
