// The token table compiled into Chorus equals Baileys' lib/WABinary/constants.js (dict v2).
// Usage: node check_tokens.js --tokens tokens_v2.json   (dumped by interop_codec_tool)
'use strict';
const fs = require('fs');
const peer = require('./peer');

const args = peer.parseArgs(process.argv.slice(2));
const chorus = JSON.parse(fs.readFileSync(args.tokens, 'utf8'));
const { SINGLE_BYTE_TOKENS, DOUBLE_BYTE_TOKENS } = peer.constants;
const problems = [];
const compare = (what, want, got) => {
  if (want.length !== got.length) problems.push(`${what}: Baileys has ${want.length} entries, Chorus ${got.length}`);
  for (let i = 0; i < Math.max(want.length, got.length); i++) {
    if (want[i] !== got[i]) problems.push(`${what}[${i}]: Baileys ${JSON.stringify(want[i])}, Chorus ${JSON.stringify(got[i])}`);
  }
};
compare('single', SINGLE_BYTE_TOKENS, chorus.single);
if (DOUBLE_BYTE_TOKENS.length !== chorus.double.length) problems.push('double: dictionary count differs');
DOUBLE_BYTE_TOKENS.forEach((d, i) => compare(`double[${i}]`, d, chorus.double[i] || []));
problems.slice(0, 20).forEach((p) => console.error(p));
console.log(`check_tokens: Chorus v2 table vs baileys@${peer.version} constants.js: ${problems.length} differences`);
process.exit(problems.length === 0 ? 0 : 1);
