"""A counting TCP relay for ci/clients/smoke.sh: shows how many connections a client opened
and how many octets it sent, whatever the client prints.

    python3 relay.py TARGET_PORT... [--seconds N]

For each TARGET_PORT it listens on a free port of 127.0.0.1 and relays every connection to
127.0.0.1:TARGET_PORT, octets unchanged (so TLS passes through). The first line on stdout
is the listening ports, in order. Then, one line per event, flushed:

    open ID LISTEN_PORT
    close ID UP_OCTETS DOWN_OCTETS

UP is client to server. It exits by itself after --seconds (default 600), or on SIGTERM.
Binds 127.0.0.1 only; standard library only.
"""

import asyncio
import itertools
import socket
import sys

ids = itertools.count(1)


def log(line):
    print(line, flush=True)


async def pipe(reader, writer, counter, key):
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            counter[key] += len(data)
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        try:
            writer.close()
        except (ConnectionError, OSError):
            pass


def handler(target, listen_port):
    async def handle(c_reader, c_writer):
        cid = next(ids)
        log(f"open {cid} {listen_port}")
        counter = {"up": 0, "down": 0}
        try:
            s_reader, s_writer = await asyncio.open_connection("127.0.0.1", target)
        except OSError:
            c_writer.close()
            log(f"close {cid} 0 0")
            return
        await asyncio.gather(
            pipe(c_reader, s_writer, counter, "up"),
            pipe(s_reader, c_writer, counter, "down"),
        )
        log(f"close {cid} {counter['up']} {counter['down']}")

    return handle


async def main(argv):
    seconds = 600.0
    if "--seconds" in argv:
        i = argv.index("--seconds")
        seconds = float(argv[i + 1])
        argv = argv[:i] + argv[i + 2 :]
    if not argv:
        print("usage: relay.py TARGET_PORT... [--seconds N]", file=sys.stderr)
        return 2
    servers, ports = [], []
    for target in (int(p) for p in argv):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        servers.append(await asyncio.start_server(handler(target, port), sock=sock))
        ports.append(port)
    log(" ".join(map(str, ports)))
    await asyncio.sleep(seconds)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(asyncio.run(main(sys.argv[1:])))
    except KeyboardInterrupt:
        sys.exit(0)
