"""h2probe's Python client: httpx with http2=True (h2, hpack and hyperframe under httpcore),
driven by one command line like every wrapped client (see ci/clients/clients.tsv):

    python3 client.py get URL          one GET
    python3 client.py post URL FILE    one POST of FILE's octets, with content-length
    python3 client.py multi URL...     the GETs concurrently on one connection

Prints ``status <code> <body-octets>`` per request on stdout (multi: in argument order; a
failed request prints ``error <reason>`` in its place). Exit 0 when every request got a
response, 1 on a transport or protocol error (the error on stderr), 2 on a usage error.
Any certificate is accepted (the scripted server's is self-signed) unless
H2PROBE_CLIENT_VERIFY=1. Everything ends within 10 s. <body-octets> are the octets as
received, before any content decoding (httpx's num_bytes_downloaded).

How httpx gets HTTP/2:
- http:// — h2c with prior knowledge: ``http1=False, http2=True``. httpcore (1.0.9,
  _async/connection.py) speaks HTTP/2 on a plain connection exactly when HTTP/1.1 is
  disabled; with http1 enabled it would speak HTTP/1.1 (httpx has no h2c Upgrade).
- https:// — httpx's ordinary ``http2=True``: httpcore offers ALPN ["http/1.1", "h2"] (a
  fixed list) and speaks HTTP/2 when the server selects h2. A response that came over
  HTTP/1.1 is reported as an error: this client tests HTTP/2.
- multi: one AsyncClient limited to one connection; httpcore hands every request to the
  connection being opened when it may become HTTP/2, so all streams share it.
"""

import asyncio
import os
import sys
from urllib.parse import urlsplit

import httpx

TIMEOUT_S = 10.0


def usage(msg=None):
    if msg:
        print(f"client.py: {msg}", file=sys.stderr)
    print("usage: client.py get URL | post URL FILE | multi URL...", file=sys.stderr)
    sys.exit(2)


def parse_args(argv):
    if len(argv) == 2 and argv[0] == "get":
        urls, body = argv[1:], None
    elif len(argv) == 3 and argv[0] == "post":
        urls = argv[1:2]
        try:
            with open(argv[2], "rb") as f:
                body = f.read()
        except OSError as e:
            usage(f"cannot read {argv[2]}: {e.strerror}")
    elif len(argv) >= 2 and argv[0] == "multi":
        urls, body = argv[1:], None
    else:
        usage()
    origins = set()
    for u in urls:
        parts = urlsplit(u)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            usage(f"not an http:// or https:// URL: {u}")
        origins.add((parts.scheme, parts.netloc))
    if len(origins) != 1:
        usage("multi: every URL must have the same origin (one connection)")
    return argv[0], urls, body


def one_line(exc):
    text = " ".join(str(exc).split())
    name = type(exc).__name__
    return f"{name}: {text}" if text and text != name else name


async def request(client, url, body):
    if body is None:
        response = await client.get(url)
    else:
        # bytes content: httpx sets content-length.
        response = await client.post(url, content=body)
    if response.http_version != "HTTP/2":
        raise RuntimeError(f"the response came over {response.http_version}, not HTTP/2")
    return f"status {response.status_code} {response.num_bytes_downloaded}"


async def run(cmd, urls, body):
    scheme = urlsplit(urls[0]).scheme
    verify = os.environ.get("H2PROBE_CLIENT_VERIFY") == "1"
    async with httpx.AsyncClient(
        http1=(scheme == "https"),
        http2=True,
        verify=verify,
        timeout=TIMEOUT_S,
        limits=httpx.Limits(max_connections=1),
        trust_env=False,
    ) as client:
        return await asyncio.gather(*(request(client, u, body) for u in urls), return_exceptions=True)


def main():
    cmd, urls, body = parse_args(sys.argv[1:])
    try:
        outcomes = asyncio.run(asyncio.wait_for(run(cmd, urls, body), TIMEOUT_S))
    except asyncio.TimeoutError:
        print(f"client.py: no result within {TIMEOUT_S:.0f} s", file=sys.stderr)
        return 1
    except Exception as e:  # closing the client can fail too
        print(f"client.py: {one_line(e)}", file=sys.stderr)
        return 1
    failed = False
    for o in outcomes:
        if isinstance(o, BaseException):
            failed = True
            if cmd == "multi":
                print(f"error {one_line(o)}")
            print(f"client.py: {one_line(o)}", file=sys.stderr)
        else:
            print(o)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
