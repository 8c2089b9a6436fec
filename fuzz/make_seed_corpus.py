#!/usr/bin/env python3
"""Regenerates the committed seed corpora in fixtures/fuzz/<target>/ from the shipped vectors,
mappings and the /sync decoder test's full response, plus a few hand-written edge cases.

Seeds are small on purpose: libFuzzer mutates small inputs far faster, and each file only has
to reach one region of the code for the fuzzer to grow from it.
Usage: fuzz/make_seed_corpus.py   (run from anywhere; rewrites its own files in fixtures/fuzz/)
"""
import json
import pathlib
import re
import struct

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "fixtures" / "fuzz"


def write(target, name, data):
    directory = OUT / target
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_bytes(data if isinstance(data, bytes) else data.encode())


def compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def main():
    # Files are (over)written, never deleted: inputs added by hand after a finding stay.
    # percent_encoding: path segments and queries as the vectors use them, and malformed escapes.
    for i, text in enumerate([
        "!room:matrix.org", "@alice:example.org/x y", "a+b%20c%2Bd", "%E2%82%AC%f0%9f%8c%8d",
        "%zz", "%4", "trailing%", "Grüße 世界 🌍", "\x00\x01\xff".encode("latin-1").decode("latin-1"),
    ]):
        write("percent_encoding", f"seed-{i}", text.encode("utf-8", "surrogateescape"))

    vectors = []
    for name in ("seed.json", "encoding-rules.json"):
        vectors += json.loads((ROOT / "fixtures" / "vectors" / name).read_text())["vectors"]

    # vector_file: small files of two vectors each (every fourth pair), and format edge cases.
    for i in range(0, len(vectors), 8):
        chunk = {"format": "matrix-conformance-vectors/1", "vectors": vectors[i:i + 2]}
        write("vector_file", f"vectors-{i:03d}.json", json.dumps(chunk, ensure_ascii=False))
    write("vector_file", "empty-list.json", '{"format":"matrix-conformance-vectors/1","vectors":[]}')
    write("vector_file", "wrong-format.json", '{"format":"other/9","vectors":[{}]}')

    # json_writer: argument and expected bodies from the vectors, and writer edge cases.
    bodies = [compact(v["args"]) for v in vectors[::6]]
    bodies += [v["expect"]["body"] if isinstance(v["expect"].get("body"), str)
               else compact(v["expect"]["body"])
               for v in vectors if v.get("expect", {}).get("body") is not None][:6]
    bodies += ['"\\u0000\\ud83c\\udf0d\\"\\\\/\\b"', "[1e308,-0,0.1,18446744073709551615,-9223372036854775808]",
               '{"a":{"b":[[[]]],"c":null},"d":true}', "\xff\xfe not utf-8", ""]
    for i, body in enumerate(bodies):
        write("json_writer", f"seed-{i:02d}", body.encode("utf-8", "surrogateescape"))

    # sync_decoder: the decoder test's full response, and small valid and invalid bodies.
    test = (ROOT / "sdk" / "tests" / "sync_decoder_test.cpp").read_text()
    full = re.search(r'kFullResponse = R"json\((.*?)\)json"', test, re.S).group(1)
    write("sync_decoder", "full-response.json", full)
    write("sync_decoder", "minimal.json", '{"next_batch":"s1"}')
    write("sync_decoder", "no-next-batch.json", '{"rooms":{"join":{}}}')
    write("sync_decoder", "wrong-type.json",
          '{"next_batch":"s2","rooms":{"join":{"!a:b":{"timeline":{"events":[{"type":1}]}}}}}')
    write("sync_decoder", "invite-leave-knock.json", compact({
        "next_batch": "s3",
        "rooms": {"invite": {"!i:x": {"invite_state": {"events": [
                      {"type": "m.room.name", "sender": "@a:x", "state_key": "", "content": {"name": "n"}}]}}},
                  "leave": {"!l:x": {"timeline": {"events": [], "limited": False}}},
                  "knock": {"!k:x": {"knock_state": {"events": []}}}},
        "device_lists": {"changed": ["@a:x"], "left": []},
        "device_one_time_keys_count": {"signed_curve25519": 3},
        "unknown": [1, {"deep": [None]}]}))

    # mapping_file: the shipped mappings, and the list form with bodyFileName and a sequence.
    for path in sorted((ROOT / "fixtures" / "mappings").glob("*.json")):
        write("mapping_file", path.name, path.read_bytes())
    write("mapping_file", "list-form.json", compact({"mappings": [
        {"request": {"method": "GET", "urlPathPattern": "/_matrix/client/(r0|v3)/sync",
                     "queryParameters": {"since": {"matches": "s[0-9]+"}}},
         "response": {"status": 200, "bodyFileName": "body.json"}},
        {"request": {"method": "POST", "urlPath": "/_matrix/client/v3/login",
                     "bodyPatterns": [{"matchesJsonPath": "$.identifier.user"}]},
         "sequence": [{"status": 429, "jsonBody": {"errcode": "M_LIMIT_EXCEEDED"}}, {"status": 200}],
         "maxUses": 2, "priority": 1}], "meta": {"total": 2}}))

    # http_request: requests as clients send them, and the framing cases servers get wrong.
    requests = {
        "versions": b"GET /_matrix/client/versions HTTP/1.1\r\nHost: x\r\n\r\n",
        "login": b"POST /_matrix/client/v3/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 b"Content-Length: 58\r\n\r\n"
                 b'{"type":"m.login.password","user":"alice","password":"p"}\n',
        "register-guest": b"POST /_matrix/client/v3/register?kind=guest HTTP/1.1\r\nHost: x\r\n"
                          b"Content-Length: 2\r\n\r\n{}",
        "sync": b"GET /_matrix/client/v3/sync?since=s1&timeout=0 HTTP/1.1\r\nHost: x\r\n"
                b"Authorization: Bearer token\r\n\r\n",
        "send-chunked": b"PUT /_matrix/client/r0/rooms/%21r%3Ax/send/m.room.message/t1 HTTP/1.1\r\n"
                        b"Host: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                        b"7\r\n{\"body\"\r\n9\r\n:\"hi\"}   \r\n0\r\n\r\n",
        "smuggling": b"POST /_matrix/client/v3/login HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /x HTTP/1.1\r\n\r\n",
        "pipelined": b"GET /_matrix/client/versions HTTP/1.1\r\n\r\nGET /.well-known/matrix/client HTTP/1.1\r\n\r\n",
        "bad-escape": b"GET /_matrix/client/v3/rooms/%zz/state?x=%4 HTTP/1.1\r\n\r\n",
        # Neither Content-Length nor Transfer-Encoding: no body (RFC 9112 6.3), answered at once.
        "bodiless-post": b"POST /_matrix/client/v3/logout HTTP/1.1\r\nHost: x\r\n\r\n",
        "pipelined-bodiless": b"POST /_matrix/client/v3/join/%21r%3Ax HTTP/1.1\r\n\r\n"
                              b"DELETE /_matrix/client/v3/devices/D HTTP/1.1\r\n\r\n",
    }
    for name, data in requests.items():
        write("http_request", name, data)

    # http_parsing: heads, chunked bodies and their edge cases, each followed by the five bytes
    # the target reads from the end (two 16-bit split points, then the round trip's chunk-size
    # byte). The split points are put inside lines, never right after an LF (that case is a
    # known HeadScanner bug, kept as its own input once found), so the seeds replay cleanly.
    def inside_line(data, fraction):
        cut = max(1, int(len(data) * fraction))
        while cut < len(data) and data[cut - 1:cut] == b"\n":
            cut += 1
        return cut

    def with_plan(data, first=0.3, second=0.7, chunk=7):
        return data + struct.pack("<HHB", inside_line(data, first), inside_line(data, second), chunk)

    parsing = {
        "get": b"GET /_matrix/client/versions HTTP/1.1\r\nHost: x\r\n\r\n",
        "post-with-body": requests["login"],
        "pipelined": requests["pipelined"],
        "leading-blank-lines": b"\r\n\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n",
        "lf-only": b"GET /x HTTP/1.1\nHost: y\nAccept: */*\n\n",
        "http10-keep-alive": b"GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n",
        "connection-list": b"PUT /r HTTP/1.1\r\nConnection: te ,\tclose\r\nExpect: 100-continue\r\n"
                           b"X-Ws: \t a  b \t\r\n\r\n",
        "many-headers": b"GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\n\r\n",
        "obs-fold": b"GET / HTTP/1.1\r\nX-A: one\r\n two\r\n\r\n",
        "http2": b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
        "raw-bytes-target": b"GET /caf\xc3\xa9/\xff HTTP/1.1\r\nX-Name: Gr\xc3\xbc\xc3\x9f\x00e\r\n\r\n",
        "chunked-body": b"7\r\n{\"body\"\r\n9;x=y\r\n:\"hi\"}   \r\n0\r\nX-Sum: 1\r\n\r\n"
                        b"GET / HTTP/1.1\r\n\r\n",
        "chunked-lf-upper-hex": b"A\nabcdefghij\n1F;e\n" + b"z" * 31 + b"\n0\n\n",
        "chunked-over-limit": b"3ff\r\n" + b"a" * 1023 + b"\r\n2\r\nbc\r\n0\r\n\r\n",
        "chunked-overflow": b"10000000000000000\r\nx\r\n0\r\n\r\n",
        "chunked-bad-crlf": b"5\r\nhelloX\r\n0\r\n\r\n",
    }
    for name, data in parsing.items():
        write("http_parsing", name, with_plan(data))
    write("http_parsing", "tiny", b"0\r\n")


if __name__ == "__main__":
    main()
