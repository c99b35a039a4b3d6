#!/usr/bin/env python3
"""lsp-latency.py - what an editor waits for after an edit: `zonelint server` end to end.

    scripts/lsp-latency.py ZONE [ZONELINT] [EDITS]

Starts `zonelint server` (default: target/release/zonelint) in the zone's directory, opens
ZONE, then EDITS times (default 20) inserts one line in its middle and sends the whole
text (the server asks for full text sync), and times each edit from the moment its
`didChange` is written to the moment the first byte of the `publishDiagnostics` that
answers it arrives, and to the moment the whole notification is read. Prints the
medians and the smallest, with the notification's size.

`cargo bench -p zonelint-policy --bench lint -- editor` times the re-lint alone; this
adds what the server does around it: the debounce it waits for more edits (30 ms), the
conversion of the findings to LSP diagnostics and their serialisation. Standard library
only; the zone's directory is the workspace (no config there: the defaults).
"""
import json
import os
import subprocess
import sys
import time


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    path = os.path.abspath(sys.argv[1])
    here = os.path.dirname(os.path.abspath(__file__))
    # Absolute: the server runs in the zone's directory.
    binary = os.path.abspath(
        sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "..", "target", "release", "zonelint")
    )
    edits = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    text = open(path, encoding="utf-8").read()
    server = subprocess.Popen(
        [binary, "server"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=os.path.dirname(path),
    )

    def send(message):
        body = json.dumps(message).encode()
        server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        server.stdin.flush()

    def receive(stamps=None):
        headers = {}
        while True:
            line = server.stdout.readline()
            if stamps is not None and not stamps:
                stamps.append(time.perf_counter())
            if line in (b"\r\n", b""):
                break
            key, value = line.decode().split(":", 1)
            headers[key.strip().lower()] = value.strip()
        if "content-length" not in headers:
            raise SystemExit("lsp-latency.py: the server closed its output")
        body = server.stdout.read(int(headers["content-length"]))
        if stamps is not None:
            stamps.append(time.perf_counter())
        return json.loads(body), len(body)

    def until(predicate, stamps=None):
        while True:
            message, size = receive(stamps)
            if predicate(message):
                return message, size
            if stamps is not None:
                stamps.clear()

    uri = "file://" + path
    root = "file://" + os.path.dirname(path)
    send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
          "params": {"processId": None, "rootUri": root, "capabilities": {}}})
    until(lambda m: m.get("id") == 1)
    send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    published = lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
    started = time.perf_counter()
    send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
          "params": {"textDocument": {"uri": uri, "languageId": "zone", "version": 1, "text": text}}})
    opened, size = until(published)
    print(f"open: {time.perf_counter() - started:.3f} s to the whole first publish "
          f"({len(opened['params']['diagnostics'])} diagnostics, {size} bytes)")

    lines = text.split("\n")
    middle = len(lines) // 2
    first, whole = [], []
    for edit in range(edits):
        lines.insert(middle, f"lsp-latency-{edit} A 192.0.2.1")
        message = {"jsonrpc": "2.0", "method": "textDocument/didChange",
                   "params": {"textDocument": {"uri": uri, "version": 2 + edit},
                              "contentChanges": [{"text": "\n".join(lines)}]}}
        body = json.dumps(message).encode()
        framed = b"Content-Length: %d\r\n\r\n" % len(body) + body
        sent = time.perf_counter()
        server.stdin.write(framed)
        server.stdin.flush()
        stamps = []
        _, size = until(published, stamps)
        first.append(stamps[0] - sent)
        whole.append(stamps[1] - sent)
    first.sort()
    whole.sort()
    print(f"edit -> first byte of its publish: median {first[len(first) // 2] * 1000:.1f} ms "
          f"(least {first[0] * 1000:.1f}); -> whole publish read: median "
          f"{whole[len(whole) // 2] * 1000:.1f} ms; {size} bytes, {edits} edits")
    send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
    until(lambda m: m.get("id") == 2)
    send({"jsonrpc": "2.0", "method": "exit"})
    server.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
