// Loads the npm peer (Baileys) from the folder that scripts/interop-peer.sh installed, and
// the helpers shared by the interop scripts: codec options per dictionary version, the record
// file format and the Baileys-shaped JSON used to compare decoded trees.
'use strict';
const fs = require('fs');
const path = require('path');

const nodeModules = process.env.CHORUS_NODE_MODULES;
if (!nodeModules || !fs.existsSync(path.join(nodeModules, 'baileys', 'package.json'))) {
  console.error(`interop: Baileys not found: CHORUS_NODE_MODULES=${nodeModules || '(unset)'}; ` +
                'run scripts/interop-peer.sh');
  process.exit(2);
}
const load = (id) => require(require.resolve(id, { paths: [nodeModules] }));

const baileys = load('baileys');
const version = load('baileys/package.json').version;
const constants = load('baileys/lib/WABinary/constants');
const { encodeBinaryNode } = load('baileys/lib/WABinary/encode');
const { decodeDecompressedBinaryNode } = load('baileys/lib/WABinary/decode');

const kExpectedVersion = '6.17.16';
if (version !== kExpectedVersion) {
  console.error(`interop: expected baileys@${kExpectedVersion}, found ${version}`);
  process.exit(2);
}

// Codec options for Baileys' encoder/decoder. v2 is Baileys' own table; v3 is built from a
// {single, double} JSON table (dumped from Chorus's C++ table by interop_codec_tool).
function codecOptions(dict, tokensJsonPath) {
  if (dict === 2) return constants;
  if (dict !== 3) throw new Error(`unknown dictionary version ${dict}`);
  const table = JSON.parse(fs.readFileSync(tokensJsonPath, 'utf8'));
  const tokenMap = {};
  table.single.forEach((t, i) => { tokenMap[t] = { index: i }; });
  table.double.forEach((d, i) => d.forEach((t, j) => { tokenMap[t] = { dict: i, index: j }; }));
  return { TAGS: constants.TAGS, TOKEN_MAP: tokenMap,
           SINGLE_BYTE_TOKENS: table.single, DOUBLE_BYTE_TOKENS: table.double };
}

// Record files: each record is a 4-byte big-endian length followed by that many bytes.
function writeRecords(file, buffers) {
  const parts = [];
  for (const b of buffers) {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    parts.push(len, b);
  }
  fs.writeFileSync(file, Buffer.concat(parts));
}
function readRecords(file) {
  const data = fs.readFileSync(file);
  const out = [];
  for (let off = 0; off < data.length;) {
    if (off + 4 > data.length) throw new Error(`${file}: truncated record header at ${off}`);
    const len = data.readUInt32BE(off);
    if (off + 4 + len > data.length) throw new Error(`${file}: truncated record at ${off}`);
    out.push(data.subarray(off + 4, off + 4 + len));
    off += 4 + len;
  }
  return out;
}

// Baileys' decoded node as canonical JSON: attrs in wire order, content omitted when absent,
// children as an array, bytes as {"hex": "..."} and strings as strings.
function shape(node) {
  const out = { tag: node.tag, attrs: node.attrs };
  const c = node.content;
  if (Array.isArray(c)) out.content = c.map(shape);
  else if (Buffer.isBuffer(c) || c instanceof Uint8Array) out.content = { hex: Buffer.from(c).toString('hex') };
  else if (typeof c === 'string') out.content = c;
  else if (c !== undefined) throw new Error(`unexpected content type ${typeof c}`);
  return out;
}
const shapeJson = (node) => JSON.stringify(shape(node));

// Decodes frame plaintext (flags byte + node bytes; no compression in our files).
function decodeFrame(buf, opts) {
  if (buf[0] !== 0) throw new Error(`unexpected flags byte ${buf[0]}`);
  const indexRef = { index: 0 };
  const body = buf.subarray(1);
  const node = decodeDecompressedBinaryNode(body, opts, indexRef);
  if (indexRef.index !== body.length) {
    throw new Error(`trailing bytes: decoded ${indexRef.index} of ${body.length}`);
  }
  return node;
}

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new Error(`bad argument ${argv[i]}`);
    args[m[1]] = m[2] !== undefined ? m[2] : argv[++i];
  }
  return args;
}

module.exports = { baileys, version, constants, encodeBinaryNode, decodeDecompressedBinaryNode,
                   codecOptions, writeRecords, readRecords, shape, shapeJson, decodeFrame, parseArgs,
                   load };
