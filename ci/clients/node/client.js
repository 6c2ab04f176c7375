// h2probe's Node.js client: the built-in `http2` module (its bundled nghttp2), driven by
// one command line like every wrapped client (see ci/clients/clients.tsv):
//
//   node client.js get URL          one GET
//   node client.js post URL FILE    one POST of FILE's octets, with content-length
//   node client.js multi URL…       the GETs concurrently on one connection
//
// Prints `status <code> <body-octets>` per request on stdout (multi: in argument order; a
// failed request prints `error <reason>` in its place). Exit 0 when every request got a
// response, 1 on a transport or protocol error (the error on stderr), 2 on a usage error.
// http:// is h2c with prior knowledge, https:// TLS with ALPN h2; any certificate is
// accepted (the scripted server's is self-signed) unless H2PROBE_CLIENT_VERIFY=1.
// Everything ends within 10 s.
'use strict';
const http2 = require('node:http2');
const fs = require('node:fs');

const TIMEOUT_MS = 10000;

function usage(msg) {
  if (msg) console.error(`client.js: ${msg}`);
  console.error('usage: node client.js get URL | post URL FILE | multi URL...');
  process.exit(2);
}

function parseArgs(argv) {
  const [cmd, ...rest] = argv;
  let urls;
  let body = null;
  if (cmd === 'get' && rest.length === 1) urls = rest;
  else if (cmd === 'post' && rest.length === 2) {
    urls = [rest[0]];
    try { body = fs.readFileSync(rest[1]); } catch (e) { usage(`cannot read ${rest[1]}: ${e.message}`); }
  } else if (cmd === 'multi' && rest.length >= 1) urls = rest;
  else usage();
  const parsed = urls.map((u) => {
    let url;
    try { url = new URL(u); } catch { usage(`not a URL: ${u}`); }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') usage(`not http:// or https://: ${u}`);
    return url;
  });
  if (parsed.some((u) => u.origin !== parsed[0].origin)) usage('multi: every URL must have the same origin (one connection)');
  return { cmd, urls: parsed, body };
}

/** One request on the session; resolves to `status …` or rejects with the error. */
function request(session, url, body) {
  return new Promise((resolve, reject) => {
    const headers = { ':method': body ? 'POST' : 'GET', ':path': url.pathname + url.search };
    if (body) headers['content-length'] = String(body.length);
    let req;
    try { req = session.request(headers, { endStream: !body }); } catch (e) { reject(e); return; }
    let status = null;
    let octets = 0;
    let settled = false;
    const settle = (f, v) => { if (!settled) { settled = true; f(v); } };
    req.on('response', (h) => { status = h[':status']; });
    req.on('data', (chunk) => { octets += chunk.length; });
    req.on('end', () => {
      if (status === null) settle(reject, new Error('stream ended without a response'));
      else settle(resolve, `status ${status} ${octets}`);
    });
    // A stream closed before its end (RST_STREAM, the connection gone) is an error.
    req.on('close', () => settle(reject, new Error(`stream closed before the response ended (code ${req.rstCode})`)));
    req.on('error', (e) => settle(reject, e));
    if (body) req.end(body);
  });
}

async function main() {
  const { cmd, urls, body } = parseArgs(process.argv.slice(2));
  const verify = process.env.H2PROBE_CLIENT_VERIFY === '1';
  const session = http2.connect(urls[0].origin, { rejectUnauthorized: verify, ALPNProtocols: ['h2'] });
  const sessionFailed = new Promise((_, reject) => {
    session.on('error', reject);
    session.on('goaway', (code) => {
      if (code !== http2.constants.NGHTTP2_NO_ERROR) reject(new Error(`GOAWAY with code ${code}`));
    });
  });
  sessionFailed.catch(() => {});
  const outcomes = await Promise.allSettled(
    urls.map((u) => Promise.race([request(session, u, body), sessionFailed])),
  );
  let failed = false;
  for (const o of outcomes) {
    if (o.status === 'fulfilled') console.log(o.value);
    else {
      failed = true;
      const reason = String(o.reason && o.reason.message ? o.reason.message : o.reason).replace(/\s+/g, ' ');
      if (cmd === 'multi') console.log(`error ${reason}`);
      console.error(`client.js: ${reason}`);
    }
  }
  session.close();
  return failed ? 1 : 0;
}

const timer = setTimeout(() => {
  console.error(`client.js: no result within ${TIMEOUT_MS / 1000} s`);
  process.exit(1);
}, TIMEOUT_MS);
main().then(
  (code) => { clearTimeout(timer); process.exitCode = code; setTimeout(() => process.exit(code), 1000).unref(); },
  (e) => { console.error(`client.js: ${e.message}`); process.exit(1); },
);
