#!/usr/bin/env python3
# Writes one conformance vector per client-server operation (fixtures/vectors/spec/operations.json)
# from the request examples of the Matrix spec's OpenAPI files: path parameters, query
# parameters and bodies as the spec shows them. The expected request is computed here, from the
# spec and the vector format's encoding rules, independently of the SDK's builders, which the
# vectors then check at the builder and the wire level.
#
# Usage: python3 conformance/spec/derive_vectors.py [SPEC_CLIENT_SERVER_DIR] > fixtures/vectors/spec/operations.json
#
# Where the spec gives no example for a required value, one is made up from its name and type
# and the vector's "source" says which. Example body members the spec's schema does not declare
# are left out (the builder takes declared members only), and "source" names them.
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "sdk/spec"))
import spec_model  # noqa: E402

BASE_URL = "https://matrix.example.org"
TOKEN = "syt_example_token"
UNRESERVED = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def percent_encode(text):
    return "".join(chr(b) if b in UNRESERVED else f"%{b:02X}" for b in text.encode("utf-8"))


def made_up(param):
    kind = param["type"]
    if kind == "integer":
        return 10
    if kind == "boolean":
        return True
    if kind == "json_object":
        return {}
    if kind == "json_array":
        return []
    if kind == "json_value":
        return "example"
    return f"{param['name']}_example"


def fits(param, value):
    kind = param["type"]
    if kind in ("string", "bytes"):
        return isinstance(value, str)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "json_object":
        return isinstance(value, dict)
    if kind == "json_array":
        return isinstance(value, list)
    return True


def query_text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def vector_for(op, seed_names):
    args = {"base_url": BASE_URL}
    notes = []
    if op["auth"] != "none":
        args["token"] = TOKEN
    body_example = op["body_example"] if isinstance(op["body_example"], dict) else {}
    by_wire = {p["wire_name"]: p for p in op["params"] if p["in"] == "body_field"}
    for name in body_example if by_wire else []:
        if name not in by_wire:
            notes.append(f"example member '{name}' is not in the schema")
    for param in op["params"]:
        value, have = None, False
        if param["in"] == "body_field":
            if param["wire_name"] in body_example:
                value, have = body_example[param["wire_name"]], True
            elif "example" in param:
                value, have = param["example"], param["required"]
        elif param["in"] == "body_whole":
            value = op["body_example"] if isinstance(op["body_example"], dict) else {}
            have = True
        elif param["in"] == "body_raw":
            value = op["body_example"] if isinstance(op["body_example"], str) else "example bytes"
            have = True
        elif "example" in param:
            value, have = param["example"], True
        if have and not fits(param, value):
            if param["type"] == "integer" and isinstance(value, str) and value.isdigit():
                value = int(value)
            else:
                notes.append(f"example of '{param['name']}' is not a {param['type']}")
                have = False
        if not have and param["required"]:
            value, have = made_up(param), True
            notes.append(f"'{param['name']}' made up")
        if have:
            args[param["name"]] = value

    version = op["versions"][-1] if op["versions"] else None
    path = op["path_template"]
    if version:
        path = path.replace("{path_version}", version)
    for param in op["params"]:
        if param["in"] == "path":
            path = path.replace("{" + param["name"] + "}", percent_encode(args[param["name"]]))
    query = []
    headers = {}
    if op["auth"] != "none":
        headers["Authorization"] = "Bearer " + TOKEN
    body = None
    for param in op["params"]:
        if param["name"] not in args:
            continue
        value = args[param["name"]]
        if param["in"] == "query":
            if isinstance(value, list):
                query += [[param["wire_name"], query_text(v)] for v in value]
            elif isinstance(value, dict):
                query += [[k, query_text(v)] for k, v in value.items()]
            else:
                query.append([param["wire_name"], query_text(value)])
        elif param["in"] == "header":
            headers[param["wire_name"]] = value
        elif param["in"] == "body_field":
            body = body if body is not None else {}
            body[param["wire_name"]] = value
        elif param["in"] == "body_whole":
            body = value
    expect = {"method": op["method"], "path": path, "query": query, "headers": headers}
    raw = next((p for p in op["params"] if p["in"] == "body_raw"), None)
    if raw is not None:
        expect["body_raw"] = args[raw["name"]]
    elif op["method"] in ("POST", "PUT"):
        expect["body"] = body if body is not None else {}
    elif op["method"] == "DELETE" and body is not None:
        expect["body"] = body
    vector = {
        "id": f"{op['operation_id']}/spec-example",
        "source": f"spec: {op['source_file']} {op['method']} {op['path']}"
                  + (f" ({'; '.join(notes)})" if notes else ""),
        "endpoint": op["operation_id"],
    }
    # A seed form of the same name would build r0 by default; the spec's version is asked for.
    if op["operation_id"] in seed_names and version:
        vector["version"] = version
    vector["args"] = args
    vector["expect"] = expect
    return vector


def main():
    spec_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else (
        ROOT.parent / "shared/matrix-spec/data/api/client-server")
    seed = json.loads((ROOT / "fixtures/vectors/seed.json").read_text())
    seed_names = {v["endpoint"] for v in seed["vectors"]}
    operations = spec_model.load_operations(spec_dir)
    document = {
        "format": "matrix-conformance-vectors/1",
        "vectors": [vector_for(op, seed_names) for op in operations],
    }
    sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    try:
        main()
    except spec_model.SpecShapeError as error:
        sys.exit(f"derive_vectors.py: {error}")
