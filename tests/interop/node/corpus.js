// A seeded generator of realistic WhatsApp stanzas for the codec interop tests and benchmarks.
// Nodes are built as typed trees: attribute values and content remember whether they are JIDs,
// so Chorus can rebuild exactly the tree that Baileys encodes (Baileys sees JIDs as text).
//
// Typed-tree record format (read by tests/interop/corpus_reader.cpp), all integers big-endian:
//   node    := str(tag) u16(attrCount) { str(key) value }* content
//   value   := u8(0) str(text)            -- a string
//            | u8(1) str(jidText)         -- a JID in its text form
//   content := u8(0)                      -- none
//            | u8(1) u32(n) node*n        -- children
//            | u8(2) u32(len) bytes       -- bytes
//            | u8(3) str(text)            -- string
//            | u8(4) str(jidText)         -- JID
//   str     := u32(len) utf8
'use strict';

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

function makeRng(seed) {
  let s = seed >>> 0;
  const next = () => {  // mulberry32
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const rng = {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),  // inclusive
    chance: (p) => next() < p,
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    digits: (n) => { let r = String(1 + Math.floor(next() * 9)); while (r.length < n) r += Math.floor(next() * 10); return r; },
    hexUpper: (n) => { let r = ''; for (let i = 0; i < n; i++) r += '0123456789ABCDEF'[Math.floor(next() * 16)]; return r; },
    hexLower: (n) => { let r = ''; for (let i = 0; i < n; i++) r += '0123456789abcdef'[Math.floor(next() * 16)]; return r; },
    alnum: (n) => { const a = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'; let r = ''; for (let i = 0; i < n; i++) r += a[Math.floor(next() * a.length)]; return r; },
    bytes: (n) => {
      const b = Buffer.allocUnsafe(n);
      let i = 0;
      for (; i + 4 <= n; i += 4) b.writeUInt32LE(Math.floor(next() * 4294967296), i);
      for (; i < n; i++) b[i] = Math.floor(next() * 256);
      return b;
    },
  };
  return rng;
}

// ---------------------------------------------------------------------------------------------
// Typed nodes

class J { constructor(text) { this.text = text; } }  // a JID value
const jid = (text) => new J(text);

function node(tag, attrs = {}, content = undefined) {
  const list = [];
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null) continue;
    if (/^\d+$/.test(k)) throw new Error(`integer-like attribute key ${k} would be reordered by JS`);
    list.push([k, v]);
  }
  return { tag, attrs: list, content };
}

// The node as Baileys' encoder takes it: JIDs become text, content kinds kept.
function toBaileys(n) {
  const attrs = {};
  for (const [k, v] of n.attrs) attrs[k] = v instanceof J ? v.text : v;
  const out = { tag: n.tag, attrs };
  const c = n.content;
  if (Array.isArray(c)) out.content = c.map(toBaileys);
  else if (c instanceof J) out.content = c.text;
  else if (c !== undefined) out.content = c;
  return out;
}

function serialize(root) {
  const chunks = [];
  let size = 0;
  const push = (b) => { chunks.push(b); size += b.length; };
  const u8 = (v) => push(Buffer.from([v]));
  const u16 = (v) => { const b = Buffer.alloc(2); b.writeUInt16BE(v); push(b); };
  const u32 = (v) => { const b = Buffer.alloc(4); b.writeUInt32BE(v); push(b); };
  const str = (s) => { const b = Buffer.from(s, 'utf8'); u32(b.length); push(b); };
  const walk = (n) => {
    str(n.tag);
    u16(n.attrs.length);
    for (const [k, v] of n.attrs) {
      str(k);
      if (v instanceof J) { u8(1); str(v.text); } else { u8(0); str(v); }
    }
    const c = n.content;
    if (c === undefined) u8(0);
    else if (Array.isArray(c)) { u8(1); u32(c.length); c.forEach(walk); }
    else if (Buffer.isBuffer(c)) { u8(2); u32(c.length); push(c); }
    else if (typeof c === 'string') { u8(3); str(c); }
    else if (c instanceof J) { u8(4); str(c.text); }
    else throw new Error('bad content');
  };
  walk(root);
  return Buffer.concat(chunks, size);
}

// ---------------------------------------------------------------------------------------------
// Realistic values

const kCountryCodes = ['1', '44', '49', '33', '34', '39', '55', '62', '91', '234', '27', '7', '52', '90'];
const kNames = ['Ana', 'José Pérez', 'Müller', '李雷', 'Дмитрий', '😀 Party', "O'Brien", 'Zoë', 'محمد',
                'Family 👨‍👩‍👧', 'Team "Alpha"', 'back\\slash', 'tab\there', 'line\nbreak', 'Ωmega'];
const kSubjects = ['Weekend plans', 'Família ❤️', 'Project X — release', 'Book club 📚', '球队',
                   'Neighbours', 'Dev chat <b>', 'Trip 2024 ✈️', 'a'.repeat(100)];

function makeValues(rng) {
  const v = {};
  v.phone = () => { const cc = rng.pick(kCountryCodes); return cc + rng.digits(rng.int(9, 11)); };
  v.lidUser = () => rng.digits(15);
  v.userJid = () => jid(`${v.phone()}@s.whatsapp.net`);
  v.deviceJid = () => jid(`${v.phone()}:${rng.chance(0.1) ? 0 : rng.int(1, 30)}@s.whatsapp.net`);
  v.lidJid = () => jid(`${v.lidUser()}@lid`);
  v.lidDeviceJid = () => jid(`${v.lidUser()}:${rng.int(0, 30)}@lid`);
  v.anyUserJid = () => rng.pick([v.userJid, v.deviceJid, v.lidJid, v.lidDeviceJid])();
  v.groupJid = () => (rng.chance(0.75) ? jid(`120363${rng.digits(12)}@g.us`)
                                        : jid(`${v.phone()}-${rng.int(1300000000, 1700000000)}@g.us`));
  v.broadcastJid = () => (rng.chance(0.6) ? jid('status@broadcast') : jid(`${rng.int(1500000000, 1700000000)}@broadcast`));
  v.newsletterJid = () => jid(`120363${rng.digits(12)}@newsletter`);
  v.serverJid = () => jid(rng.pick(['@s.whatsapp.net', '@g.us', '@broadcast', '@lid', '@newsletter', '@call']));
  v.otherJid = () => rng.pick([
    () => jid(`${v.phone()}@c.us`), () => jid(`${rng.digits(13)}@bot`),
    () => jid(`${v.phone()}@hosted`), () => jid(`${rng.digits(15)}@hosted.lid`),
    () => jid(`${rng.digits(8)}@call`), () => jid('server@c.us'), () => jid('0@c.us'),
  ])();
  v.chatJid = () => rng.pick([v.userJid, v.userJid, v.lidJid, v.groupJid, v.groupJid, v.broadcastJid, v.newsletterJid])();
  v.msgId = () => rng.pick([
    () => '3EB0' + rng.hexUpper(18), () => '3EB0' + rng.hexUpper(16), () => rng.hexUpper(32),
    () => 'BAE5' + rng.hexUpper(12), () => rng.hexUpper(20), () => rng.alnum(rng.int(16, 24)),
    () => rng.hexLower(rng.int(16, 32)),
  ])();
  v.iqId = () => `${rng.int(0, 65535)}.${rng.int(0, 65535)}-${rng.int(1, 5000)}`;
  v.ts = () => String(rng.int(1600000000, 1800000000));
  v.name = () => rng.pick(kNames);
  v.subject = () => rng.pick(kSubjects);
  v.hash = () => rng.alnum(rng.int(6, 12)) + rng.pick(['', '==', '=']);
  // Payload sizes: mostly small, some medium, a few big, rarely up to 1 MiB.
  v.payloadSize = () => {
    const r = rng.next();
    if (r < 0.80) return rng.int(16, 700);
    if (r < 0.985) return rng.int(700, 8000);
    if (r < 0.999) return rng.int(8000, 70000);
    return rng.int(200000, 1 << 20);
  };
  return v;
}

// ---------------------------------------------------------------------------------------------
// Stanza generators

function makeGenerators(rng, v) {
  const enc = (type, size) => node('enc', { v: '2', type, mediatype: rng.chance(0.15) ? rng.pick(['image', 'video', 'document', 'ptt', 'sticker']) : undefined,
                                           count: type === 'pkmsg' && rng.chance(0.1) ? String(rng.int(1, 5)) : undefined },
                                    rng.bytes(size !== undefined ? size : v.payloadSize()));

  const message = () => {
    const chat = v.chatJid();
    const isGroup = chat.text.endsWith('@g.us') || chat.text.endsWith('@broadcast');
    const incoming = rng.chance(0.6);
    const children = [];
    if (isGroup) {
      if (rng.chance(0.3)) children.push(enc('pkmsg', rng.int(200, 900)));
      children.push(enc('skmsg'));
    } else if (rng.chance(0.7) || !incoming) {
      children.push(enc(rng.pick(['pkmsg', 'msg', 'msg', 'msg'])));
    }
    if (!incoming && rng.chance(0.5)) {
      const to = [];
      const n = rng.int(1, 40);
      for (let i = 0; i < n; i++) {
        to.push(node('to', { jid: rng.chance(0.5) ? v.deviceJid() : v.lidDeviceJid() }, [enc(rng.pick(['pkmsg', 'msg']), rng.int(80, 600))]));
      }
      children.push(node('participants', {}, to));
      if (rng.chance(0.5)) children.push(node('device-identity', {}, rng.bytes(rng.int(140, 180))));
    }
    if (rng.chance(0.2)) children.push(node('meta', { polltype: rng.chance(0.2) ? 'creation' : undefined, appdata: rng.chance(0.1) ? 'default' : undefined }));
    if (rng.chance(0.05)) children.push(node('unavailable', { type: 'view_once' }));
    if (rng.chance(0.05)) children.push(node('biz', {}, [node('interactive', { type: 'native_flow', v: '1' }, [node('native_flow', { name: 'mixed', v: '9' })])]));
    if (rng.chance(0.05)) children.push(node('reporting', {}, [node('reporting_tag', {}, rng.bytes(20))]));
    const attrs = {
      id: v.msgId(),
      [incoming ? 'from' : 'to']: chat,
      type: rng.pick(['text', 'media', 'reaction', 'poll', 'text']),
      participant: isGroup && incoming ? v.anyUserJid() : undefined,
      notify: incoming && rng.chance(0.7) ? v.name() : undefined,
      t: incoming ? v.ts() : undefined,
      offline: incoming && rng.chance(0.1) ? '0' : undefined,
      addressing_mode: isGroup && rng.chance(0.5) ? rng.pick(['pn', 'lid']) : undefined,
      participant_pn: isGroup && rng.chance(0.2) ? v.userJid() : undefined,
      sender_lid: rng.chance(0.1) ? v.lidJid() : undefined,
      category: rng.chance(0.05) ? 'peer' : undefined,
      verified_name: rng.chance(0.02) ? rng.digits(18) : undefined,
      edit: rng.chance(0.03) ? rng.pick(['1', '7', '8']) : undefined,
      phash: !incoming && rng.chance(0.3) ? '2:' + rng.alnum(8) : undefined,
    };
    return node('message', attrs, children.length || rng.chance(0.5) ? children : undefined);
  };

  const receipt = () => {
    const type = rng.pick([undefined, 'read', 'read-self', 'retry', 'played', 'sender', 'inactive', 'peer_msg', 'hist_sync', 'server-error', 'enc_rekey_retry']);
    const chat = v.chatJid();
    const isGroup = chat.text.endsWith('@g.us');
    const children = [];
    if (rng.chance(0.3)) {
      const items = [];
      const n = rng.chance(0.1) ? rng.int(50, 400) : rng.int(1, 30);
      for (let i = 0; i < n; i++) items.push(node('item', { id: v.msgId() }));
      children.push(node('list', {}, items));
    }
    if (type === 'retry') {
      children.push(node('retry', { count: String(rng.int(1, 5)), id: v.msgId(), t: v.ts(), v: '1' }));
      children.push(node('registration', {}, rng.bytes(4)));
      if (rng.chance(0.5)) {
        children.push(node('keys', {}, [
          node('type', {}, Buffer.from([5])), node('identity', {}, rng.bytes(32)),
          node('key', {}, [node('id', {}, rng.bytes(3)), node('value', {}, rng.bytes(32))]),
          node('skey', {}, [node('id', {}, rng.bytes(3)), node('value', {}, rng.bytes(32)), node('signature', {}, rng.bytes(64))]),
          node('device-identity', {}, rng.bytes(rng.int(140, 180))),
        ]));
      }
    }
    return node('receipt', {
      id: v.msgId(),
      from: rng.chance(0.7) ? chat : undefined,
      to: rng.chance(0.3) ? chat : undefined,
      participant: isGroup ? v.anyUserJid() : undefined,
      recipient: rng.chance(0.1) ? v.userJid() : undefined,
      type,
      t: v.ts(),
    }, children.length ? children : undefined);
  };

  const ack = () => node('ack', {
    class: rng.pick(['message', 'receipt', 'notification', 'call', 'iq']),
    id: v.msgId(),
    [rng.chance(0.5) ? 'to' : 'from']: rng.pick([v.chatJid, v.deviceJid, v.lidDeviceJid])(),
    participant: rng.chance(0.3) ? v.anyUserJid() : undefined,
    type: rng.chance(0.3) ? rng.pick(['read', 'delivery', 'encrypt', 'devices', 'w:gp2', 'text']) : undefined,
    t: rng.chance(0.6) ? v.ts() : undefined,
    phash: rng.chance(0.1) ? '2:' + rng.alnum(8) : undefined,
    error: rng.chance(0.05) ? rng.pick(['479', '500', '421']) : undefined,
    addressing_mode: rng.chance(0.1) ? 'lid' : undefined,
  });

  const iqResult = (children) => node('iq', { from: rng.chance(0.8) ? jid('@s.whatsapp.net') : v.groupJid(), type: 'result', id: v.iqId() }, children);

  const usync = () => {
    const users = [];
    const n = rng.chance(0.15) ? rng.int(100, 300) : rng.int(1, 20);
    for (let i = 0; i < n; i++) {
      const devices = [node('device', { id: '0' })];
      const nd = rng.int(0, 5);
      for (let d = 0; d < nd; d++) devices.push(node('device', { id: String(rng.int(1, 60)), 'key-index': String(rng.int(1, 40)), is_hosted: rng.chance(0.05) ? 'true' : undefined }));
      const userChildren = [node('devices', {}, [
        node('device-list', {}, devices),
        ...(nd ? [node('key-index-list', { ts: v.ts(), expected_ts: rng.chance(0.2) ? v.ts() : undefined }, rng.bytes(rng.int(60, 200)))] : []),
      ])];
      if (rng.chance(0.3)) userChildren.push(node('contact', { type: rng.pick(['in', 'out']) }, rng.chance(0.5) ? '+' + v.phone() : undefined));
      if (rng.chance(0.2)) userChildren.push(node('status', { t: v.ts() }, Buffer.from(rng.pick(['Hey there! I am using WhatsApp.', 'Busy', 'Ελληνικά 🇬🇷', '']), 'utf8')));
      if (rng.chance(0.2)) userChildren.push(node('lid', { val: v.lidJid() }));
      users.push(node('user', { jid: rng.chance(0.8) ? v.userJid() : v.lidJid(), pn_jid: rng.chance(0.1) ? v.userJid() : undefined }, userChildren));
    }
    return iqResult([node('usync', { sid: v.iqId(), mode: 'query', context: rng.pick(['message', 'interactive', 'background']), last: 'true', index: '0' }, [
      node('result', {}, [node('devices', {}), node('contact', {})].slice(0, rng.int(0, 2))),
      node('list', {}, users),
      node('side_list', {}),
    ])]);
  };

  const prekeys = () => {
    const users = [];
    const n = rng.chance(0.1) ? rng.int(50, 150) : rng.int(1, 10);
    for (let i = 0; i < n; i++) {
      const c = [
        node('registration', {}, rng.bytes(4)), node('type', {}, Buffer.from([5])), node('identity', {}, rng.bytes(32)),
        node('skey', {}, [node('id', {}, rng.bytes(3)), node('value', {}, rng.bytes(32)), node('signature', {}, rng.bytes(64))]),
      ];
      if (rng.chance(0.8)) c.push(node('key', {}, [node('id', {}, rng.bytes(3)), node('value', {}, rng.bytes(32))]));
      if (rng.chance(0.1)) c.push(node('device-identity', {}, rng.bytes(rng.int(140, 180))));
      users.push(node('user', { jid: rng.chance(0.7) ? v.deviceJid() : v.lidDeviceJid() }, c));
    }
    return iqResult([node('list', {}, users)]);
  };

  const group = (forcedParticipants) => {
    const n = forcedParticipants !== undefined ? forcedParticipants : (rng.chance(0.3) ? rng.int(100, 1024) : rng.int(2, 60));
    const children = [];
    if (rng.chance(0.5)) children.push(node('description', { id: v.msgId() }, [node('body', {}, 'Rules: be nice 🙂 ' + 'x'.repeat(rng.int(0, 400)))]));
    for (let i = 0; i < n; i++) {
      const lidMode = rng.chance(0.3);
      children.push(node('participant', {
        jid: lidMode ? v.lidJid() : v.userJid(),
        type: rng.chance(0.08) ? rng.pick(['admin', 'superadmin']) : undefined,
        phone_number: lidMode && rng.chance(0.5) ? v.userJid() : undefined,
      }));
    }
    if (rng.chance(0.3)) children.push(node('ephemeral', { expiration: rng.pick(['86400', '604800', '7776000']) }));
    if (rng.chance(0.2)) children.push(node('announcement'));
    if (rng.chance(0.2)) children.push(node('locked'));
    if (rng.chance(0.1)) children.push(node('parent', { default_membership_approval_mode: 'request_required' }));
    return node('group', {
      id: v.groupJid().text.split('@')[0], creator: v.userJid(), creation: v.ts(), subject: v.subject(),
      s_t: v.ts(), s_o: v.userJid(), size: rng.chance(0.5) ? String(n) : undefined,
      addressing_mode: rng.chance(0.5) ? rng.pick(['pn', 'lid']) : undefined,
    }, children);
  };
  const groupMetadata = () => (rng.chance(0.8) ? iqResult([group()])
                                               : iqResult([node('groups', {}, Array.from({ length: rng.int(1, 8) }, () => group(rng.int(2, 40))))]));

  const notification = () => {
    const type = rng.pick(['encrypt', 'w:gp2', 'devices', 'picture', 'account_sync', 'server_sync', 'mediaretry',
                           'newsletter', 'status', 'privacy_token', 'link_code_companion_reg', 'contacts', 'business']);
    const from = type === 'w:gp2' ? v.groupJid() : type === 'newsletter' ? v.newsletterJid() : type === 'encrypt' ? jid('@s.whatsapp.net') : v.userJid();
    let children;
    switch (type) {
      case 'encrypt': children = rng.chance(0.7) ? [node('count', { value: String(rng.int(0, 50)) })] : [node('identity')]; break;
      case 'w:gp2': {
        const act = rng.pick(['add', 'remove', 'promote', 'demote', 'subject', 'description', 'invite', 'create']);
        if (act === 'subject') children = [node('subject', { subject: v.subject(), s_o: v.userJid(), s_t: v.ts() })];
        else if (act === 'create') children = [node('create', { reason: 'invite' }, [group(rng.int(2, 30))])];
        else children = [node(act, { reason: rng.chance(0.3) ? 'invite' : undefined },
                              Array.from({ length: rng.int(1, 10) }, () => node('participant', { jid: v.anyUserJid() })))];
        break;
      }
      case 'devices':
        children = [node(rng.pick(['add', 'remove', 'update']), { device_hash: v.hash() }, [
          node('device', { jid: v.deviceJid(), 'key-index': String(rng.int(1, 30)) }),
          node('key-index-list', { ts: v.ts() }, rng.bytes(rng.int(60, 200))),
        ])];
        break;
      case 'picture': children = [node(rng.pick(['set', 'delete']), { jid: v.chatJid(), id: String(rng.int(1, 1e9)), author: v.userJid() })]; break;
      case 'account_sync':
        children = [node('devices', { dhash: v.hash() }, Array.from({ length: rng.int(1, 6) }, () => node('device', { jid: v.deviceJid(), 'key-index': String(rng.int(0, 30)) })))];
        break;
      case 'server_sync':
        children = Array.from({ length: rng.int(1, 5) }, () => node('collection', { name: rng.pick(['regular', 'regular_low', 'regular_high', 'critical_block', 'critical_unblock_low']), version: String(rng.int(1, 100000)) }));
        break;
      case 'mediaretry':
        children = [node('rmr', { jid: v.chatJid(), from_me: rng.pick(['true', 'false']), participant: rng.chance(0.3) ? v.userJid() : undefined }),
                    node('encrypt', {}, [node('enc_p', {}, rng.bytes(rng.int(50, 300))), node('enc_iv', {}, rng.bytes(12))])];
        break;
      case 'newsletter':
        children = [node('live_updates', {}, [node('messages', { jid: from, t: v.ts() },
          Array.from({ length: rng.int(1, 5) }, () => node('message', { server_id: String(rng.int(100, 99999)) }, [
            node('reactions', {}, [node('reaction', { code: rng.pick(['👍', '❤️', '😂']), count: String(rng.int(1, 999)) })]),
            node('views_count', { count: String(rng.int(0, 1e6)) }),
          ])))])];
        break;
      case 'status': children = [node('set', {}, Buffer.from(rng.pick(['Available', 'At work', 'Urgent calls only ☎️']), 'utf8'))]; break;
      case 'privacy_token':
        children = [node('tokens', {}, [node('token', { jid: v.userJid(), t: v.ts(), type: 'trusted_contact' }, rng.bytes(rng.int(20, 40)))])];
        break;
      case 'link_code_companion_reg':
        children = [node('link_code_companion_reg', { stage: 'companion_hello' }, [
          node('link_code_pairing_wrapped_companion_ephemeral_pub', {}, rng.bytes(80)),
          node('companion_server_auth_key_pub', {}, rng.bytes(32)),
          node('link_code_pairing_ref', {}, Buffer.from(rng.alnum(20))),
        ])];
        break;
      case 'contacts': children = [node(rng.pick(['update', 'add', 'remove']), { jid: v.userJid(), hash: v.hash() })]; break;
      default: children = [node('verified_name', { jid: v.userJid(), serial: String(rng.int(1, 1e12)), v: '1' }, rng.bytes(rng.int(100, 300)))];
    }
    return node('notification', { from, type, id: String(rng.int(1000000, 4000000000)), t: v.ts(),
                                  participant: type === 'w:gp2' ? v.anyUserJid() : undefined,
                                  notify: rng.chance(0.2) ? v.name() : undefined, offline: rng.chance(0.1) ? '0' : undefined }, children);
  };

  const misc = () => rng.pick([
    () => node('presence', { from: v.userJid(), type: rng.pick(['available', 'unavailable']), last: rng.chance(0.5) ? v.ts() : undefined }),
    () => node('chatstate', { from: v.chatJid(), participant: rng.chance(0.3) ? v.userJid() : undefined },
               [rng.chance(0.8) ? node('composing', { media: rng.chance(0.2) ? 'audio' : undefined }) : node('paused')]),
    () => node('call', { from: v.userJid(), id: v.msgId(), t: v.ts(), version: '2', platform: rng.pick(['android', 'iphone', 'web']) }, [
      node(rng.pick(['offer', 'terminate', 'reject', 'accept', 'relaylatency']), { 'call-id': rng.hexUpper(32), 'call-creator': v.deviceJid(), count: rng.chance(0.3) ? '0' : undefined }, [
        node('audio', { enc: 'opus', rate: rng.pick(['8000', '16000']) }), node('video', { enc: 'vp8', dec: 'vp8' }),
        node('net', { medium: '3' }), node('capability', { ver: '1' }, rng.bytes(5)), node('encopt', { keygen: '2' }),
        node('enc', { v: '2', type: rng.pick(['pkmsg', 'msg']) }, rng.bytes(rng.int(60, 200))),
        node('relay', { 'attribute_padding': '1', uuid: rng.alnum(16) }, [node('te2', { relay_id: String(rng.int(0, 9)) }, rng.bytes(6)), node('token', { id: '0' }, rng.bytes(rng.int(100, 300)))]),
      ]),
    ]),
    () => node('ib', { from: jid('@s.whatsapp.net') }, [rng.pick([
      () => node('offline', { count: String(rng.int(0, 500)) }),
      () => node('offline_preview', { count: String(rng.int(0, 500)), message: String(rng.int(0, 200)), notification: String(rng.int(0, 50)), receipt: String(rng.int(0, 300)), appdata: '0' }),
      () => node('dirty', { type: rng.pick(['account_sync', 'groups', 'syncd_app_state']), timestamp: v.ts() }),
      () => node('edge_routing', {}, [node('routing_info', {}, rng.bytes(rng.int(5, 20)))]),
      () => node('downgrade_webclient'),
    ])()]),
    () => node('success', { t: v.ts(), props: String(rng.int(1, 9999)), abprops: String(rng.int(1, 99999)), location: rng.pick(['frc', 'lla', 'cln']), lid: v.lidDeviceJid(), creation: v.ts() }),
    () => node('failure', { reason: rng.pick(['401', '403', '405', '406', '500']), location: rng.chance(0.5) ? 'frc' : undefined }),
    () => node('stream:error', rng.chance(0.7) ? { code: rng.pick(['515', '401', '503']) } : {}, rng.chance(0.3) ? [node('conflict', { type: rng.pick(['replaced', 'device_removed']) })] : undefined),
    () => node('xmlstreamend'),
    () => node('iq', { id: v.iqId(), to: jid('@s.whatsapp.net'), type: 'get', xmlns: 'w:p' }, [node('ping')]),
    () => iqResult([node('media_conn', { auth: rng.alnum(60) + '=', ttl: '21600', auth_ttl: '21600', max_buckets: '12' },
      Array.from({ length: rng.int(2, 6) }, (_, i) => node('host', { hostname: rng.pick(['mmg.whatsapp.net', `media-fra${i}-1.cdn.whatsapp.net`, 'media.fbom1-1.fna.whatsapp.net']), maxContentLengthBytes: String(rng.int(1e6, 1e8)) })))]),
    () => node('iq', { from: jid('@s.whatsapp.net'), type: 'set', id: v.iqId(), xmlns: 'md' }, [
      node('pair-device', {}, Array.from({ length: 6 }, () => node('ref', {}, Buffer.from(`2@${rng.alnum(60)}==,${rng.alnum(40)}=`))))]),
    () => node('iq', { from: jid('@s.whatsapp.net'), type: 'set', id: v.iqId(), xmlns: 'md' }, [node('pair-success', {}, [
      node('device-identity', {}, rng.bytes(rng.int(140, 180))), node('platform', { name: 'android' }),
      node('biz', { name: v.name() }), node('device', { jid: v.deviceJid(), lid: v.lidDeviceJid() })])]),
    () => iqResult([node('sync', {}, Array.from({ length: rng.int(1, 5) }, () => node('collection', { name: rng.pick(['regular', 'regular_low', 'critical_block']), version: String(rng.int(1, 9999)) }, [
      node('patches', {}, Array.from({ length: rng.int(0, 5) }, () => node('patch', {}, rng.bytes(v.payloadSize())))),
      ...(rng.chance(0.3) ? [node('snapshot', {}, rng.bytes(v.payloadSize()))] : []),
    ])))]),
    () => node('iq', { to: jid('@s.whatsapp.net'), type: 'set', xmlns: 'encrypt', id: v.iqId() }, [
      node('registration', {}, rng.bytes(4)), node('type', {}, Buffer.from([5])), node('identity', {}, rng.bytes(32)),
      node('list', {}, Array.from({ length: rng.int(5, 60) }, () => node('key', {}, [node('id', {}, rng.bytes(3)), node('value', {}, rng.bytes(32))]))),
      node('skey', {}, [node('id', {}, rng.bytes(3)), node('value', {}, rng.bytes(32)), node('signature', {}, rng.bytes(64))]),
    ]),
    () => node('iq', { type: 'set', xmlns: 'md', to: jid('@s.whatsapp.net'), id: v.iqId() }, [
      node('remove-companion-device', { jid: v.deviceJid(), reason: 'user_initiated' })]),
    () => iqResult([node('error', { code: rng.pick(['404', '400', '500', '406']), text: rng.pick(['item-not-found', 'bad-request', 'internal-server-error', 'not-acceptable']) })]),
    () => node('message', { from: v.otherJid(), id: v.msgId(), type: 'text', t: v.ts() }, [enc('msg')]),
    () => node('notification', { from: v.serverJid(), type: 'server', id: v.msgId() }, [node('jid', {}, v.anyUserJid()), node('server', {}, v.serverJid())]),
    () => node('history', { from: v.userJid(), id: v.msgId() }, [node('enc', { v: '2', type: 'msg' }, rng.bytes(rng.chance(0.05) ? rng.int(64 << 10, 1 << 20) : rng.int(1000, 20000)))]),
  ])();

  return [
    [0.30, message], [0.17, receipt], [0.15, ack], [0.12, notification],
    [0.05, usync], [0.04, prekeys], [0.04, groupMetadata], [0.13, misc],
  ];
}

// Boundary cases that a random walk would rarely hit: packed-string and raw-length limits,
// list-size limits, empty values, every content kind.
function edgeCases(rng, v) {
  const out = [];
  for (const len of [0, 1, 2, 126, 127, 128, 255, 256, 257, 1000, 65535, 65536, (1 << 20) - 1, 1 << 20]) {
    out.push(node('edge', { kind: 'bytes', len: String(len) }, rng.bytes(len)));
  }
  for (const len of [1, 2, 126, 127, 128, 200]) {
    out.push(node('edge', { nibble: rng.digits(len), hex: rng.hexUpper(len), raw: rng.alnum(len), lower: rng.hexLower(len) }));
  }
  for (const len of [255, 256, 300, 70000]) out.push(node('edge', { long: 'é'.repeat(len) }));
  for (const n of [0, 1, 255, 256, 257, 1000, 4000]) {
    out.push(node('list', { n: String(n) }, Array.from({ length: n }, () => node('item', { id: v.msgId() }))));
  }
  out.push(node('edge', { empty: '' }));
  out.push(node('edge', { a: '-', b: '.', c: '0', d: '-.-', e: 'ABCDEF', f: 'abcdef', g: '1.2.3-4' }));
  out.push(node('edge', {}, 'a string'));
  out.push(node('edge', {}, '12345'));
  out.push(node('edge', {}, '3EB0ABCDEF'));
  out.push(node('edge', {}, 'notification'));
  out.push(node('edge', {}, v.userJid()));
  out.push(node('edge', {}, v.serverJid()));
  out.push(node('edge', {}, []));
  out.push(node('edge', {}, Buffer.alloc(0)));
  out.push(node('not-a-token-tag', { 'x-custom': 'value', 'ü': 'ümlaut' }));
  out.push(node('edge', { server: jid('@s.whatsapp.net'), g: jid('@g.us'), lid: jid('@lid'), b: jid('status@broadcast'),
                          dev0: jid(`${v.phone()}:0@s.whatsapp.net`), lid0: jid(`${v.lidUser()}:0@lid`),
                          dev99: jid(`${v.phone()}:99@s.whatsapp.net`), lid255: jid(`${v.lidUser()}:255@lid`),
                          old: jid(`${v.phone()}-1600000000@g.us`), nl: v.newsletterJid(), other: v.otherJid() }));
  for (let depth = 1; depth <= 40; depth += 13) {
    let n = node('leaf');
    for (let i = 0; i < depth; i++) n = node('level', { d: String(i) }, [n]);
    out.push(n);
  }
  return out;
}

// `count` nodes: the boundary cases first (unless edges is false), then random stanzas.
function generate(seed, count, { edges = true } = {}) {
  const rng = makeRng(seed);
  const v = makeValues(rng);
  const gens = makeGenerators(rng, v);
  const nodes = edges ? edgeCases(rng, v) : [];
  while (nodes.length < count) {
    let r = rng.next();
    let g = gens[gens.length - 1][1];
    for (const [w, f] of gens) { if (r < w) { g = f; break; } r -= w; }
    nodes.push(g());
  }
  return nodes;
}

module.exports = { generate, serialize, toBaileys, makeRng };
