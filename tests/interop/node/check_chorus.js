// Proof 2 (Baileys side): every node Chorus encoded (DIR/chorus_v<D>.bin, written by
// interop_codec_tool verify) decodes in Baileys to exactly the tree Baileys decoded from its own
// encoding of the same corpus node (DIR/expected_v<D>.jsonl).
// Usage: node check_chorus.js --dir DIR --dict 2|3 [--tokens tokens_v3.json]
'use strict';
const fs = require('fs');
const path = require('path');
const peer = require('./peer');

const args = peer.parseArgs(process.argv.slice(2));
const dict = Number(args.dict);
const opts = peer.codecOptions(dict, args.tokens);
const t0 = process.hrtime.bigint();
const encoded = peer.readRecords(path.join(args.dir, `chorus_v${dict}.bin`));
const expected = fs.readFileSync(path.join(args.dir, `expected_v${dict}.jsonl`), 'utf8').split('\n');
if (expected[expected.length - 1] === '') expected.pop();
if (encoded.length !== expected.length || encoded.length < 10000) {
  console.error(`check_chorus: ${encoded.length} Chorus-encoded nodes, ${expected.length} expected (need >= 10000)`);
  process.exit(1);
}

const excerpt = (a, b) => {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 80);
  return `at ${i}\n    expected: ...${a.slice(from, from + 160)}\n    baileys:  ...${b.slice(from, from + 160)}`;
};
let failures = 0;
encoded.forEach((buf, i) => {
  let got;
  try {
    got = peer.shapeJson(peer.decodeFrame(buf, opts));
  } catch (e) {
    if (++failures <= 8) console.error(`node ${i}: Baileys cannot decode Chorus bytes: ${e.message}\n    ${buf.toString('hex').slice(0, 160)}`);
    return;
  }
  if (got !== expected[i] && ++failures <= 8) console.error(`node ${i}: Baileys decodes Chorus bytes differently ${excerpt(expected[i], got)}`);
});
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
console.log(`check_chorus v${dict}: ${encoded.length} Chorus-encoded nodes decoded by baileys@${peer.version}: ${failures} failures (${ms.toFixed(0)} ms)`);
process.exit(failures === 0 ? 0 : 1);
