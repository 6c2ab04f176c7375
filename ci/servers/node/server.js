// An HTTP/2 target on Node.js's built-in http2 module: h2c (prior knowledge) and TLS with
// ALPN h2 (HTTP/1.1 allowed as a fallback). GET/HEAD serve files from the docroot; POST
// reads the whole body first, then answers 200 with the same file.
// Usage: node server.js H2C_PORT TLS_PORT DOCROOT CERT KEY  (binds 127.0.0.1 only)
'use strict';
const http2 = require('node:http2');
const fs = require('node:fs');
const path = require('node:path');

const [h2cPort, tlsPort, docroot, certFile, keyFile] = process.argv.slice(2);
if (!keyFile) {
  console.error('usage: node server.js H2C_PORT TLS_PORT DOCROOT CERT KEY');
  process.exit(2);
}
const HOST = '127.0.0.1';
const root = path.resolve(docroot);

/** The file a request path names, or null when it leaves the docroot. */
function fileFor(url) {
  let p;
  try { p = decodeURIComponent(new URL(url, 'http://x').pathname); } catch { return null; }
  if (p.endsWith('/')) p += 'index.html';
  const file = path.resolve(root, '.' + p);
  return file.startsWith(root + path.sep) ? file : null;
}

function reply(res, status, type, body, head) {
  res.writeHead(status, { 'content-type': type, 'content-length': body.length });
  res.end(head ? undefined : body);
}

function handler(req, res) {
  // Errors of one stream (a reset, a malformed request) are the client's test, not ours.
  req.on('error', () => {});
  res.on('error', () => {});
  req.on('data', () => {});
  req.on('end', () => {
    if (!['GET', 'HEAD', 'POST'].includes(req.method)) {
      reply(res, 405, 'text/plain', Buffer.from('method not allowed\n'), false);
      return;
    }
    const file = fileFor(req.url);
    if (!file) { reply(res, 404, 'text/plain', Buffer.from('not found\n'), false); return; }
    fs.readFile(file, (err, data) => {
      if (res.destroyed || res.closed) return;
      if (err) { reply(res, 404, 'text/plain', Buffer.from('not found\n'), req.method === 'HEAD'); return; }
      const type = file.endsWith('.html') ? 'text/html' : 'application/octet-stream';
      reply(res, 200, type, data, req.method === 'HEAD');
    });
  });
}

function listen(server, port, what) {
  // A protocol error on one connection must not bring the process down.
  server.on('sessionError', () => {});
  server.on('error', (e) => { console.error(`${what}: ${e.message}`); process.exit(1); });
  server.listen(Number(port), HOST, () => console.log(`${what} listening on ${HOST}:${port}`));
}

listen(http2.createServer({}, handler), h2cPort, 'h2c');
listen(http2.createSecureServer({
  cert: fs.readFileSync(certFile),
  key: fs.readFileSync(keyFile),
  allowHTTP1: true,
}, handler), tlsPort, 'tls');

process.on('SIGTERM', () => process.exit(0));
