// Generates the seeded corpus for one dictionary version, encodes it with Baileys and records
// what Baileys decodes from its own bytes:
//   corpus_v<D>.tree      typed trees (format in corpus.js), for Chorus to build the same nodes
//   baileys_v<D>.bin      Baileys' encodeBinaryNode output per node (flags byte + node bytes)
//   expected_v<D>.jsonl   Baileys' decodeDecompressedBinaryNode output, one JSON line per node
// Usage: node gen_corpus.js --dir DIR --dict 2|3 [--tokens tokens_v3.json] [--count N] [--seed S]
'use strict';
const fs = require('fs');
const path = require('path');
const peer = require('./peer');
const corpus = require('./corpus');

const args = peer.parseArgs(process.argv.slice(2));
const dict = Number(args.dict);
const count = Number(args.count || 10000);
const seed = Number(args.seed || 20240601) + dict;
const dir = args.dir;
fs.mkdirSync(dir, { recursive: true });
const opts = peer.codecOptions(dict, args.tokens);

const t0 = process.hrtime.bigint();
const nodes = corpus.generate(seed, count);
const trees = [];
const encoded = [];
const expected = [];
let bytes = 0;
for (const n of nodes) {
  const b = peer.encodeBinaryNode(corpus.toBaileys(n), opts, [0]);
  trees.push(corpus.serialize(n));
  encoded.push(b);
  expected.push(peer.shapeJson(peer.decodeFrame(b, opts)));
  bytes += b.length;
}
peer.writeRecords(path.join(dir, `corpus_v${dict}.tree`), trees);
peer.writeRecords(path.join(dir, `baileys_v${dict}.bin`), encoded);
fs.writeFileSync(path.join(dir, `expected_v${dict}.jsonl`), expected.join('\n') + '\n');
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
console.log(`gen_corpus: dict v${dict}: ${nodes.length} nodes, ${(bytes / 1048576).toFixed(1)} MiB encoded by baileys@${peer.version} in ${ms.toFixed(0)} ms`);
