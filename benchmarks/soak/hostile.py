#!/usr/bin/env python3
"""The hostile client of the soak: for DURATION seconds it sends the failure cases of the HTTP
issue to 127.0.0.1:PORT in a loop (split chunked requests, bad framing, huge Content-Length,
pipelined bursts, garbage) and keeps up to SLOW slowloris connections open. It counts answers
by status; a 5xx or a case without an answer within 1 s is counted as a failure.
    hostile.py PORT DURATION [SLOW]"""
import collections, random, socket, sys, time

port, duration = int(sys.argv[1]), float(sys.argv[2])
n_slow = int(sys.argv[3]) if len(sys.argv) > 3 else 50
H = b"Host: x\r\n"
cases = [
    [b"POST /healthz HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\n\r\n4\r\nabcd", b"\r\n0\r\n\r\n"],
    [b"POST /healthz HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\n\r\n4\r", b"\nabcd\r\n0\r\n\r\n"],
    [b"GET / HTTP/1.1\r\n" + H + b"Content-Length: -1\r\n\r\n"],
    [b"GET / HTTP/1.1\r\n" + H + b"Content-Length: 99999999999999999999\r\n\r\n"],
    [b"POST /v1/plan HTTP/1.1\r\n" + H + b"Content-Length: 4294967296\r\n\r\n"],
    [b"GET / HTTP/1.1\r\nHost: x:abc\r\n\r\n"],
    [b"GET /healthz HTTP/1.1\r\n" + H + b"Accept: application/json,\r\n\r\n"],
    [b"POST / HTTP/1.1\r\n" + H + b"Transfer-Encoding: gzip\r\n\r\n"],
    [b"GET /healthz HTTP/1.1\nHost: x\n\n"],
    [b"GET /healthz HTTP/1.1\r\n" + H + b"NoColon\r\n\r\n"],
    [b"GET /v1/stops/%C0%AF HTTP/1.1\r\n" + H + b"\r\n"],
    [b"GET /v1/stops?q=a&q=b HTTP/1.1\r\n" + H + b"\r\n"],
    [b"POST / HTTP/1.1\r\n" + H + b"Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}"],
    [b"GET /healthz HTTP/1.1\r\n" + H + b"\r\n" * 1 + b"GET /healthz HTTP/1.1\r\n" + H + b"\r\n"],
    [bytes(random.getrandbits(8) for _ in range(300)) + b"\r\n\r\n"],
    [b"GET /" + b"a" * 10000 + b" HTTP/1.1\r\n\r\n"],
]
counts = collections.Counter()
failures = 0
slow = []
end = time.time() + duration
while time.time() < end:
    while len(slow) < n_slow:
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=1)
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            slow.append(s)
        except OSError:
            counts["slow connect failed"] += 1
            break
    for s in list(slow):  # a byte now and then: slow, but not below the timeouts' notice
        try:
            s.send(b"a")
        except OSError:
            slow.remove(s)
            counts["slow dropped by server"] += 1
    case = random.choice(cases)
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=1)
        for i, piece in enumerate(case):
            if i:
                time.sleep(0.05)
            s.sendall(piece)
        t0 = time.time()
        data = b""
        while b"\r\n\r\n" not in data and time.time() - t0 < 1:
            b = s.recv(65536)
            if not b:
                break
            data += b
        s.close()
        if data.startswith(b"HTTP/1.1 "):
            code = int(data[9:12])
            counts[code] += 1
            if code >= 500:
                failures += 1
        else:
            counts["no answer"] += 1
            failures += 1
    except OSError as e:
        counts["error " + type(e).__name__] += 1
        failures += 1
for s in slow:
    s.close()
for k, v in sorted(counts.items(), key=str):
    print(f"hostile {k}: {v}")
print(f"hostile failures: {failures}")
sys.exit(1 if failures else 0)
