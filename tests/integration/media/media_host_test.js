// chorus-sim's media host against node's own HTTPS stack (what Baileys' axios uses):
//   1. an upload with a streamed (chunked) body, as axios sends Baileys' encrypted file stream,
//      through https with `ca:` set to the generated test CA only → 200 with url/direct_path;
//   2. download of `url` (plus whatsmeow-style extra parameters) → the same bytes, and a Range;
//   3. https://localhost works (subjectAltName DNS:localhost);
//   4. without the CA node refuses the certificate (it is not publicly trusted);
//   5. a separate node process with NODE_EXTRA_CA_CERTS=<ca.pem> and no `ca:` option downloads
//      the blob (the way §16.1 suggests running Baileys).
// Usage: node media_host_test.js --check PATH/media_host_check
'use strict';
const { spawn, execFileSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const https = require('https');
const os = require('os');
const path = require('path');
const readline = require('readline');

const fail = (msg) => { console.error(`media_host_test: FAIL: ${msg}`); process.exit(1); };
const check = (cond, msg) => { if (!cond) fail(msg); };
setTimeout(() => fail('timed out after 25 s'), 25000).unref();

const checkIndex = process.argv.indexOf('--check');
const checkPath = checkIndex > 0 ? process.argv[checkIndex + 1] : undefined;
check(checkPath && fs.existsSync(checkPath), `media_host_check not found: ${checkPath}`);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-media-test-'));
let server = null;
process.on('exit', () => { if (server) server.kill('SIGKILL'); fs.rmSync(dataDir, { recursive: true, force: true }); });

function request(url, options, body) {
  return new Promise((resolve, reject) => {
    const req = https.request(url, options, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    if (body) {
      // Written in pieces without Content-Length: node sends Transfer-Encoding: chunked.
      for (let i = 0; i < body.length; i += 65536) req.write(body.subarray(i, i + 65536));
    }
    req.end();
  });
}

(async () => {
  server = spawn(checkPath, ['--serve', dataDir], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise((resolve, reject) => {
    readline.createInterface({ input: server.stdout }).once('line', resolve);
    server.once('exit', (code) => reject(new Error(`media_host_check exited with ${code}`)));
  });
  const ready = JSON.parse(line);
  check(/^127\.0\.0\.1:\d+$/.test(ready.host), `bad host ${ready.host}`);
  const ca = fs.readFileSync(ready.ca);

  // 1. Upload, Baileys-style URL (unpadded base64url token, encodeURIComponent(auth)).
  const blob = crypto.randomBytes(300000);
  const token = crypto.createHash('sha256').update(blob).digest('base64url');
  const uploadUrl = `https://${ready.host}/mms/image/${token}?auth=${encodeURIComponent(ready.auth)}&token=${token}`;
  const up = await request(uploadUrl, {
    method: 'POST', ca,
    headers: { 'Content-Type': 'application/octet-stream', Origin: 'https://web.whatsapp.com' },
  }, blob);
  check(up.status === 200, `upload status ${up.status}: ${up.body}`);
  const result = JSON.parse(up.body.toString());
  check(result.url === `https://${ready.host}${result.direct_path}`, `bad upload result ${up.body}`);
  check(/^\/v\/[0-9a-f]{64}\.enc\?x=1$/.test(result.direct_path), `bad direct_path ${result.direct_path}`);

  // 2. Download (with whatsmeow's extra parameters) and a Range.
  const down = await request(`${result.url}&hash=${token}=&mms-type=image&__wa-mms=`, { ca, headers: { Origin: 'https://web.whatsapp.com' } });
  check(down.status === 200 && down.body.equals(blob), `download status ${down.status}, ${down.body.length} bytes`);
  const part = await request(result.url, { ca, headers: { Range: 'bytes=1000-1999' } });
  check(part.status === 206 && part.body.equals(blob.subarray(1000, 2000)) &&
        part.headers['content-range'] === `bytes 1000-1999/${blob.length}`, `range status ${part.status}`);

  // 3. localhost.
  const port = ready.host.split(':')[1];
  const local = await request(`https://localhost:${port}${result.direct_path}`, { ca });
  check(local.status === 200 && local.body.equals(blob), 'https://localhost download');

  // 4. Without the CA.
  let refused = null;
  try { await request(result.url, { agent: new https.Agent({ keepAlive: false }) }); } catch (err) { refused = err; }
  check(refused && /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET_ISSUER/.test(refused.code || ''),
        `a client without the CA was not refused (${refused && refused.code})`);

  // 5. NODE_EXTRA_CA_CERTS in a fresh process.
  const script = `require('https').get(process.argv[1], (r) => { const h = require('crypto').createHash('sha256');
    r.on('data', (c) => h.update(c)); r.on('end', () => { console.log(r.statusCode + ' ' + h.digest('base64url')); }); })
    .on('error', (e) => { console.log('error ' + e.code); });`;
  const out = execFileSync(process.execPath, ['-e', script, result.url],
                           { env: { ...process.env, NODE_EXTRA_CA_CERTS: ready.ca }, timeout: 10000 }).toString().trim();
  check(out === `200 ${token}`, `NODE_EXTRA_CA_CERTS download: ${out}`);

  server.stdin.end();
  const code = await new Promise((resolve) => server.once('exit', resolve));
  server = null;
  check(code === 0, `media_host_check --serve exited with ${code}`);
  console.log('media_host_test: all checks passed');
})().catch((err) => fail(err && err.stack || String(err)));
