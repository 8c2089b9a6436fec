#!/usr/bin/env python3
# Writes sdk/tests/data/spec_validation_cases.json: for every operation, the request of its
# spec vector (fixtures/vectors/spec/operations.json, built from the spec's examples) as a
# conformant request, and requests that break one rule each, with the violation the validator
# must report (its `where` and `rule`). The rules broken are read from the spec's OpenAPI
# files (spec_model.py), not from the validator's compiled schemas, so a schema the validator
# lost shows up as a missed violation.
#
# Mutations, each applied alone to the conformant request:
#   no_token        drop Authorization where the operation requires auth -> header.Authorization
#   drop_member     remove a required body member the example has        -> body.NAME missing
#   retype_member   give a typed body member a value of another type     -> body.NAME type
#   retype_query    a non-integer for an integer query parameter         -> query.NAME type
#   drop_query      remove a required query parameter                    -> query.NAME missing
#   misformat_path  an identifier without its sigil (a room id without !) -> path.NAME format
#   not_json        a JSON body that does not parse                      -> body not_json
#   no_content_type a JSON body without Content-Type                     -> header.Content-Type
#
# Usage: python3 sdk/spec/derive_validation_cases.py [SPEC_CLIENT_SERVER_DIR]
import json
import re
import sys
from pathlib import Path
from urllib.parse import quote

import spec_model

ROOT = Path(__file__).resolve().parents[2]
WRONG_VALUE = {"string": 42, "integer": "not a number", "boolean": "yes", "json_object": [1],
               "json_array": {"not": "an array"}}
# A value of each checked format that breaks it: the sigil left out, a space in a server name.
# What tells an operation from another with the same method and path (tell_apart()): without
# it the request is the other operation, so dropping it breaks nothing.
DISTINGUISHING = {"peekEvents": "room_id", "inviteUser": "user_id"}
MISFORMATTED = {"mx-user-id": "alice:example.org", "mx-room-id": "room:example.org",
                "mx-event-id": "event", "mx-room-alias": "room:example.org",
                "mx-server-name": "bad name", "mx-mxc-uri": "https://example.org/a"}


def member_where(name):
    """The validator's spelling of body member `name` (schema_check.cpp append_member)."""
    if re.fullmatch(r"[A-Za-z0-9_]+", name):
        return f"body.{name}"
    return 'body["' + name.replace("\\", "\\\\").replace('"', '\\"') + '"]'


def target_of(expect):
    query = "&".join(f"{quote(n, safe='')}={quote(v, safe='')}" for n, v in expect["query"])
    return expect["path"] + ("?" + query if query else "")


def request(method, path, query, headers, body):
    out = {"method": method, "target": target_of({"path": path, "query": query}),
           "headers": [[n, v] for n, v in headers.items()]}
    if body is not None:
        out["body"] = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
    return out


def cases_for(vector, operation):
    expect = vector["expect"]
    method, path = expect["method"], expect["path"]
    query = [list(pair) for pair in expect["query"]]
    headers = dict(expect["headers"])
    body = expect.get("body")
    body_kinds = {p["in"] for p in operation["params"]} & {"body_field", "body_whole", "body_raw"}
    # A JSON body where the spec gives the operation one; builders also send {} to operations
    # without a request body (logout), which is no one's business.
    json_body = bool(body_kinds) and "body_raw" not in body_kinds
    if json_body and body is None and operation["body_required"]:
        body = {}  # the spec requires a body even where no member is required (deleteDevice)
    json_body = json_body and body is not None and not isinstance(body, str)
    if json_body:
        headers["Content-Type"] = "application/json"
    conformant = request(method, path, query, headers, body)
    conformant.update(name="conformant", expect=[])
    cases = [conformant]

    def add(name, where, rule, **changes):
        case = request(method, path, changes.get("query", query), changes.get("headers", headers),
                       changes.get("body", body))
        case.update(name=name, expect=[{"where": where, "rule": rule}])
        cases.append(case)

    if operation["auth"] == "required" and "Authorization" in headers:
        add("no_token", "header.Authorization", "missing_token",
            headers={k: v for k, v in headers.items() if k != "Authorization"})
    if json_body and isinstance(body, dict):
        fields = [p for p in operation["params"] if p["in"] == "body_field"]
        required = next((p for p in fields if p["required"] and p["wire_name"] in body
                         and p["wire_name"] != DISTINGUISHING.get(operation["operation_id"])), None)
        if required:
            add(f"drop_member.{required['wire_name']}", member_where(required["wire_name"]),
                "missing", body={k: v for k, v in body.items() if k != required["wire_name"]})
        typed = next((p for p in fields if p["type"] in WRONG_VALUE and p["wire_name"] in body), None)
        if typed:
            add(f"retype_member.{typed['wire_name']}", member_where(typed["wire_name"]), "type",
                body={**body, typed["wire_name"]: WRONG_VALUE[typed["type"]]})
    # A body that does not parse cannot show which of two operations it is (inviteUser).
    if json_body and DISTINGUISHING.get(operation["operation_id"]) not in body:
        add("not_json", "body", "not_json", body="{not json")
    if json_body:
        add("no_content_type", "header.Content-Type", "content_type",
            headers={k: v for k, v in headers.items() if k != "Content-Type"})
    for param in operation["params"]:
        if param["in"] == "path" and param.get("format") in MISFORMATTED:
            value = vector["args"].get(param["name"])
            encoded = "/" + quote(str(value), safe="") if value is not None else None
            if encoded and path.count(encoded) == 1:
                broken = "/" + quote(MISFORMATTED[param["format"]], safe="")
                case = request(method, path.replace(encoded, broken), query, headers, body)
                case.update(name=f"misformat_path.{param['name']}",
                            expect=[{"where": f"path.{param['name']}", "rule": "format"}])
                cases.append(case)
        if param["in"] != "query":
            continue
        name = param["wire_name"]
        if param["type"] == "integer":
            add(f"retype_query.{name}", f"query.{name}", "type",
                query=[p for p in query if p[0] != name] + [[name, "soon"]])
        if (param["required"] and any(p[0] == name for p in query)
                and name != DISTINGUISHING.get(operation["operation_id"])):
            add(f"drop_query.{name}", f"query.{name}", "missing",
                query=[p for p in query if p[0] != name])
    return cases


def main():
    spec_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else (
        ROOT.parent / "shared/matrix-spec/data/api/client-server")
    operations = {op["operation_id"]: op for op in spec_model.load_operations(spec_dir)}
    vectors = json.loads((ROOT / "fixtures/vectors/spec/operations.json").read_text())["vectors"]
    out = {
        "about": "Generated by sdk/spec/derive_validation_cases.py from the spec vectors and the "
                 "Matrix spec's OpenAPI files (https://github.com/matrix-org/matrix-spec, "
                 "Apache-2.0). Do not edit: rerun the script.",
        "operations": [{"operation": v["endpoint"], "cases": cases_for(v, operations[v["endpoint"]])}
                       for v in vectors],
    }
    path = ROOT / "sdk/tests/data/spec_validation_cases.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
