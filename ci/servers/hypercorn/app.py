"""An ASGI app for hypercorn: GET/HEAD serve files from $H2PROBE_WWW; POST reads the whole
body, then answers 200 with the same file (as nghttpd does)."""
import os

ROOT = os.path.realpath(os.environ.get("H2PROBE_WWW", "www"))


def file_for(path):
    """The file a request path names, or None when it leaves the docroot."""
    if path.endswith("/"):
        path += "index.html"
    full = os.path.realpath(os.path.join(ROOT, path.lstrip("/")))
    return full if full.startswith(ROOT + os.sep) and os.path.isfile(full) else None


async def lifespan(receive, send):
    while True:
        msg = await receive()
        if msg["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif msg["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        await lifespan(receive, send)
        return
    if scope["type"] != "http":
        return
    more = True
    while more:
        msg = await receive()
        if msg["type"] == "http.disconnect":
            return
        more = msg.get("more_body", False)
    method = scope["method"]
    file = file_for(scope["path"])
    if method not in ("GET", "HEAD", "POST"):
        status, ctype, body = 405, b"text/plain", b"method not allowed\n"
    elif file is None:
        status, ctype, body = 404, b"text/plain", b"not found\n"
    else:
        with open(file, "rb") as f:
            body = f.read()
        status = 200
        ctype = b"text/html" if file.endswith(".html") else b"application/octet-stream"
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode())],
    })
    await send({"type": "http.response.body", "body": b"" if method == "HEAD" else body})
