#!/usr/bin/env python3
"""nghttp behind the uniform command line of the wrapped clients (see clients.tsv, output
kind `status`): get URL | post URL FILE | multi URL...

nghttp prints bodies as they arrive and exits 0 even when it reset a stream, so neither its
output nor its exit status says whether a response was taken as valid. This runs it with -nv
and reads its own frame log: a request succeeded when its stream ended (END_STREAM) with a
final status and nghttp neither sent nor received RST_STREAM on it, nor sent an error
GOAWAY. It then prints `status <code> <body-octets>` per request (or `error <reason>`) and
exits 0 only when every request succeeded.
"""
import re
import subprocess
import sys

FRAME = re.compile(r"^\[\s*[\d.]+\] (send|recv) (\w+) frame <length=(\d+), flags=0x([0-9a-f]+), stream_id=(\d+)>")
STATUS = re.compile(r"^\[\s*[\d.]+\] recv \(stream_id=(\d+)\) :status: (\d+)")
END_STREAM, PADDED = 0x1, 0x8


def main(argv):
    if len(argv) < 2 or argv[0] not in ("get", "post", "multi") or (argv[0] == "post" and len(argv) != 3):
        print("usage: client.py get URL | post URL FILE | multi URL...", file=sys.stderr)
        return 2
    cmd, rest = argv[0], argv[1:]
    args = ["nghttp", "-nv"]
    urls = rest
    if cmd == "post":
        args += ["-d", rest[1]]
        urls = rest[:1]
    try:
        run = subprocess.run(args + urls, capture_output=True, timeout=10)
    except FileNotFoundError:
        print("client.py: nghttp is not installed", file=sys.stderr)
        return 2
    except subprocess.TimeoutExpired as e:
        run = subprocess.CompletedProcess(args, 1, e.stdout or b"", (e.stderr or b"") + b"\ntimed out")
    log = run.stdout.decode("utf-8", "replace").splitlines()
    opened, status, size, ended, failed = [], {}, {}, set(), {}
    conn_error = None
    for i, line in enumerate(log):
        nxt = log[i + 1] if i + 1 < len(log) else ""
        m = FRAME.match(line)
        if m:
            way, kind, length, flags, sid = m.group(1), m.group(2), int(m.group(3)), int(m.group(4), 16), int(m.group(5))
            if way == "send" and kind == "HEADERS" and "Open new stream" in "".join(log[i + 1:i + 4]):
                opened.append(sid)
            if way == "recv" and kind == "DATA":
                pad = 0
                if flags & PADDED:
                    p = re.search(r"padlen=(\d+)", "".join(log[i + 1:i + 3]))
                    # nghttp2's padlen counts the Pad Length octet itself
                    pad = int(p.group(1)) if p else 0
                size[sid] = size.get(sid, 0) + length - pad
            if way == "recv" and kind in ("DATA", "HEADERS") and flags & END_STREAM:
                ended.add(sid)
            if kind == "RST_STREAM":
                failed.setdefault(sid, f"{'reset' if way == 'send' else 'reset by the server'} ({nxt.strip()})")
            if way == "send" and kind == "GOAWAY" and "error_code=NO_ERROR" not in "".join(log[i + 1:i + 3]):
                conn_error = "connection error: " + " ".join(l.strip() for l in log[i + 1:i + 3])
            continue
        m = STATUS.match(line)
        if m:
            status[int(m.group(1))] = int(m.group(2))
    ok = True
    for sid in opened[: len(urls)]:
        st = status.get(sid)
        why = failed.get(sid) or conn_error
        if why is None and (sid not in ended or st is None or st < 200):
            why = "no complete response"
        if why:
            ok = False
            print(f"error {why}")
            print(f"client.py: stream {sid}: {why}", file=sys.stderr)
        else:
            print(f"status {st} {size.get(sid, 0)}")
    for _ in range(len(urls) - len(opened)):
        ok = False
        print("error not requested")
    err = run.stderr.decode("utf-8", "replace")
    if err.strip():
        sys.stderr.write(err)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
