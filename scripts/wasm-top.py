#!/usr/bin/env python3
"""Prints the largest functions of a wasm file (needs a name section).

Usage: wasm-top.py FILE [N]. Used by the build to name size culprits.
"""
import sys


def leb(b, i):
    r = s = 0
    while True:
        x = b[i]
        i += 1
        r |= (x & 0x7F) << s
        s += 7
        if x < 0x80:
            return r, i


def main():
    data = open(sys.argv[1], "rb").read()
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    i, imports, bodies, names = 8, 0, [], {}
    while i < len(data):
        sid = data[i]
        size, i = leb(data, i + 1)
        end = i + size
        if sid == 2:
            cnt, j = leb(data, i)
            for _ in range(cnt):
                for _ in range(2):
                    ln, j = leb(data, j)
                    j += ln
                kind = data[j]
                j += 1
                if kind == 0:
                    _, j = leb(data, j)
                    imports += 1
                elif kind == 1:
                    j += 1
                    flag = data[j]
                    _, j = leb(data, j + 1)
                    if flag & 1:
                        _, j = leb(data, j)
                elif kind == 2:
                    flag = data[j]
                    _, j = leb(data, j + 1)
                    if flag & 1:
                        _, j = leb(data, j)
                elif kind == 3:
                    j += 2
                else:
                    j += 2
        elif sid == 10:
            cnt, j = leb(data, i)
            for _ in range(cnt):
                sz, k = leb(data, j)
                bodies.append(k - j + sz)
                j = k + sz
        elif sid == 0:
            ln, j = leb(data, i)
            if data[j:j + ln] == b"name":
                j += ln
                while j < end:
                    sub = data[j]
                    ssz, j = leb(data, j + 1)
                    if sub == 1:
                        cnt, k = leb(data, j)
                        for _ in range(cnt):
                            idx, k = leb(data, k)
                            l2, k = leb(data, k)
                            names[idx] = data[k:k + l2].decode("utf8", "replace")
                            k += l2
                    j += ssz
        i = end
    total = sum(bodies)
    print(f"code: {total} B in {len(bodies)} functions")
    for idx, sz in sorted(enumerate(bodies), key=lambda x: -x[1])[:n]:
        print(f"{sz:7d}  {names.get(idx + imports, '?')[:110]}")


main()
