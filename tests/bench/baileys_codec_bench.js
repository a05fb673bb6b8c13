// Baileys' binary codec on the interop corpus, timed the same way as chorus_bench's
// BM_CodecDecode/BM_CodecEncode (whole corpus per pass, single thread), then the comparison
// table. Usage: node baileys_codec_bench.js --dir CORPUS_DIR [--dict 2] [--seconds 3]
//               [--chorus chorus_bench.json]
'use strict';
const fs = require('fs');
const path = require('path');
const peer = require('../interop/node/peer');

const args = peer.parseArgs(process.argv.slice(2));
const dict = Number(args.dict || 2);
const minSeconds = Number(args.seconds || 3);
const opts = peer.codecOptions(dict, args.tokens);
const kSmallFrameLimit = 4096;  // the same cut as codec_bench.cpp
const allFrames = peer.readRecords(path.join(args.dir, `baileys_v${dict}.bin`));

// Median pass over at least 5 timed passes and `minSeconds`, after 3 warm-up passes.
function time(frames, fn) {
  const totalBytes = frames.reduce((n, f) => n + f.length, 0);
  for (let i = 0; i < 3; i++) fn();  // warm-up: let the JIT settle
  const passes = [];
  const start = process.hrtime.bigint();
  while (passes.length < 5 || Number(process.hrtime.bigint() - start) / 1e9 < minSeconds) {
    const t0 = process.hrtime.bigint();
    fn();
    passes.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  passes.sort((a, b) => a - b);
  const median = passes[Math.floor(passes.length / 2)];
  return { passes: passes.length, seconds: median, nodesPerSecond: frames.length / median,
           bytesPerSecond: totalBytes / median };
}

function measure(frames) {
  const decodeAll = () => frames.map((f) => peer.decodeDecompressedBinaryNode(f.subarray(1), opts, { index: 0 }));
  const nodes = decodeAll();
  const encodeAll = () => { let n = 0; for (const node of nodes) n += peer.encodeBinaryNode(node, opts, [0]).length; return n; };
  return { decode: time(frames, decodeAll), encode: time(frames, encodeAll),
           nodes: frames.length, bytes: frames.reduce((n, f) => n + f.length, 0) };
}
const subsets = { all: measure(allFrames), small: measure(allFrames.filter((f) => f.length < kSmallFrameLimit)) };

const fmt = (v, unit) => (unit === 'MB/s' ? (v / 1e6).toFixed(1) : (v / 1e3).toFixed(1) + 'k');
const noiseRows = [];
let report = null;
if (args.chorus) {
  report = JSON.parse(fs.readFileSync(args.chorus, 'utf8'));
  for (const b of report.benchmarks.filter((x) => x.name.startsWith('BM_Noise'))) {
    noiseRows.push(`${b.name.padEnd(24)} ${(b.items_per_second / 1e3).toFixed(1).padStart(10)}k frames/s ${(b.bytes_per_second / 1e6).toFixed(1).padStart(9)} MB/s`);
  }
}
const chorusResult = (op, small) => {
  if (!report) return null;
  const name = `BM_Codec${op === 'decode' ? 'Decode' : 'Encode'}/${dict}/${small ? 1 : 0}`;
  return report.benchmarks.find((b) => b.name === name || b.name.startsWith(`${name}/`)) || null;
};

console.log(`Codec, dict v${dict}, single thread; baileys@${peer.version} on node ${process.version}`);
const results = {};
for (const [subset, label] of [['all', 'whole corpus'], ['small', `stanzas < ${kSmallFrameLimit} B`]]) {
  const s = subsets[subset];
  console.log(`\n${label}: ${s.nodes} nodes, ${(s.bytes / 1048576).toFixed(1)} MiB`);
  console.log('operation   metric        Chorus        Baileys     ratio');
  for (const op of ['decode', 'encode']) {
    const b = s[op];
    const c = chorusResult(op, subset === 'small');
    results[`${subset}.${op}`] = { chorus: c && c.items_per_second, baileys: b.nodesPerSecond };
    for (const [metric, bv, cv] of [['nodes/s', b.nodesPerSecond, c && c.items_per_second],
                                     ['MB/s', b.bytesPerSecond, c && c.bytes_per_second]]) {
      const ratio = cv ? (cv / bv).toFixed(1) + 'x' : '-';
      console.log(`${op.padEnd(11)} ${metric.padEnd(8)} ${(cv ? fmt(cv, metric) : '-').padStart(12)} ${fmt(bv, metric).padStart(14)} ${ratio.padStart(9)}`);
    }
  }
}
if (noiseRows.length) {
  console.log('\nNoise transport frames (Chorus, AES-256-GCM):');
  noiseRows.forEach((r) => console.log(r));
}
if (args.json) fs.writeFileSync(args.json, JSON.stringify({ baileys: subsets, chorus: report }, null, 1));
