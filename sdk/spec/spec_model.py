#!/usr/bin/env python3
# Reads the Matrix spec's client-server OpenAPI files into one model of every operation: what
# derive_operations.py turns into the SDK's declaration table and derive_vectors.py into
# conformance vectors. Only identifiers, types and examples are taken; no prose.
#
# The model, per operation (a dict):
#   operation_id, name (snake_case of the operationId), method, path (as the spec serves it),
#   path_template ("{path_version}" where the version segment is), versions (oldest first: r0, v3,
#   v1), auth ("none" | "optional" | "required"), rate_limited, deprecated, source_file,
#   params: [{name, in: path|query|header|body_field|body_whole|body_raw, type, required,
#             wire_name, example (absent when the spec gives none), format (path, query and
#             header parameters whose schema names one)}],
#   body_example (the request body's example, when the spec gives one), body_required (the
#   spec's requestBody.required).
#
# Version history: an operation served under /_matrix/client/v3 or /_matrix/media/v3 that the
# spec does not mark as added after v1.0 (x-addedInMatrixVersion on the operation) was also
# served under r0, the prefix of the spec's r0.x releases that v1.1 renamed to v3. An
# operation under a v1 prefix has only v1. Unstable prefixes are not in the OpenAPI files, so
# none is declared.
import re
from pathlib import Path
from urllib.parse import urlsplit

import yaml

HTTP_METHODS = ("get", "put", "post", "delete")


class SpecShapeError(Exception):
    pass


def snake_case(identifier):
    """getPushRules -> get_push_rules, inviteBy3PID -> invite_by_3pid,
    requestTokenTo3PIDMSISDN -> request_token_to_3pid_msisdn; logout_all stays."""
    words = []
    for part in identifier.split("_"):
        words += re.findall(
            r"3PIDs?(?=[A-Z]|$)|[0-9]*(?:[A-Z]+s?(?=[A-Z][a-z]|[0-9]|$)|[A-Z]?[a-z]+|[A-Z]+)|[0-9]+",
            part)
    return "_".join(word.lower() for word in words)


class Documents:
    """The spec's YAML files, loaded once each, with $ref resolution across them."""

    def __init__(self, root):
        self.root = Path(root)
        self.cache = {}

    def load(self, path):
        path = Path(path).resolve()
        if path not in self.cache:
            with open(path, encoding="utf-8") as f:
                self.cache[path] = yaml.safe_load(f)
        return self.cache[path]

    def resolve(self, node, base):
        """Follows $ref (file, file#/pointer or #/pointer) until a node without one."""
        seen = 0
        while isinstance(node, dict) and "$ref" in node:
            seen += 1
            if seen > 32:
                raise SpecShapeError(f"{base}: $ref chain too long")
            ref = node["$ref"]
            file_part, _, pointer = ref.partition("#")
            target = (Path(base).parent / file_part) if file_part else Path(base)
            doc = self.load(target)
            for key in [p for p in pointer.split("/") if p]:
                doc = doc[key]
            node, base = doc, target
        return node, base


def schema_type(schema, where):
    """The declaration's ParamType for a JSON schema."""
    if not isinstance(schema, dict):
        return "json_value"
    kind = schema.get("type")
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        kind = kinds[0] if len(kinds) == 1 else None
    if kind is None and "oneOf" in schema:
        kinds = {s.get("type") for s in schema["oneOf"] if isinstance(s, dict)}
        kind = kinds.pop() if len(kinds) == 1 else None
    return {
        "string": "string",
        "integer": "integer",
        "boolean": "boolean",
        "object": "json_object",
        "array": "json_array",
    }.get(kind, "json_value")


def merged_object_schema(docs, schema, base):
    """An object schema with allOf parts merged: (properties, required, free_form)."""
    schema, base = docs.resolve(schema, base)
    properties, required = {}, set()
    free_form = bool(schema.get("additionalProperties")) or "patternProperties" in schema
    for part in schema.get("allOf", []):
        p, r, f = merged_object_schema(docs, part, base)
        properties.update(p)
        required |= r
        free_form = free_form or f
    for key, value in (schema.get("properties") or {}).items():
        properties[key] = docs.resolve(value, base)[0]
    required |= set(schema.get("required") or [])
    return properties, required, free_form


def base_path(name, doc):
    """The path part of a file's single `servers` URL, server variables at their defaults."""
    servers = doc.get("servers")
    if not isinstance(servers, list) or len(servers) != 1:
        raise SpecShapeError(f"{name}: expected exactly one entry in top-level `servers`, found {servers!r}")
    server = servers[0]
    if not isinstance(server, dict) or not isinstance(server.get("url"), str):
        raise SpecShapeError(f"{name}: `servers[0].url` is missing or not a string")
    variables = server.get("variables") or {}

    def substitute(match):
        var = variables.get(match.group(1))
        if not isinstance(var, dict) or not isinstance(var.get("default"), str):
            raise SpecShapeError(f"{name}: server variable `{match.group(1)}` has no string default")
        return var["default"]

    url = re.sub(r"\{([^}]*)\}", substitute, server["url"])
    path = urlsplit(url).path
    if not path.startswith("/"):
        raise SpecShapeError(f"{name}: server URL {server['url']!r} expands to {url!r}, which has no absolute path")
    return path.rstrip("/")


def auth_of(name, security):
    """As the spec renderer reads it: no `security` -> none; an empty requirement {} among them
    -> optional; otherwise required."""
    if security is None:
        return "none"
    if not isinstance(security, list) or not security or not all(isinstance(r, dict) for r in security):
        raise SpecShapeError(f"{name}: `security` is not a non-empty list of requirement objects")
    if any(len(r) == 0 for r in security):
        return "optional"
    # getRoomSummary names only the federation scheme `signedRequest`, which no client has, and
    # says servers may answer it without a token: for a client the token is optional.
    if all(set(r) == {"signedRequest"} for r in security):
        return "optional"
    return "required"


VERSIONED = re.compile(r"^(/_matrix/(?:client|media))/(r0|v1|v3)(/.*)$")


def version_history(path, operation):
    match = VERSIONED.match(path)
    if not match:
        return path, []
    prefix, version, rest = match.groups()
    template = f"{prefix}/{{path_version}}{rest}"
    if version == "v3":
        added = operation.get("x-addedInMatrixVersion")
        return template, (["v3"] if added else ["r0", "v3"])
    return template, [version]


def operation_params(docs, file_path, path, item, operation, auth):
    """Path, query and header parameters in the spec's order, then the body's."""
    params = []
    raw = list(item.get("parameters") or []) + list(operation.get("parameters") or [])
    for entry in raw:
        entry, _ = docs.resolve(entry, file_path)
        location = entry["in"]
        if location not in ("path", "query", "header"):
            raise SpecShapeError(f"{operation['operationId']}: parameter in {location}")
        param = {
            "name": entry["name"],
            "in": location,
            "type": schema_type(entry.get("schema"), entry["name"]),
            "required": bool(entry.get("required")) or location == "path",
            "wire_name": entry["name"],
        }
        example = entry.get("example", (entry.get("schema") or {}).get("example"))
        if example is not None:
            param["example"] = example
        if (entry.get("schema") or {}).get("format"):
            param["format"] = entry["schema"]["format"]
        params.append(param)
    # Path parameters in the order the path names them, which is the order builders take them.
    order = [n for n in re.findall(r"\{([^}]*)\}", path) if n != "path_version"]
    path_params = sorted((p for p in params if p["in"] == "path"), key=lambda p: order.index(p["name"]))
    if [p["name"] for p in path_params] != order:
        raise SpecShapeError(f"{operation['operationId']}: path parameters do not match {path}")
    params = path_params + [p for p in params if p["in"] != "path"]
    # Every builder takes base_url, and the access token as `token` where the operation has auth.
    reserved = {"base_url"} | ({"token"} if auth != "none" else set())

    body_example = None
    body_required = False
    body = operation.get("requestBody")
    if body is not None:
        body, body_base = docs.resolve(body, file_path)
        content = body.get("content") or {}
        body_required = bool(body.get("required"))
        if "application/json" in content:
            media = content["application/json"]
            schema, schema_base = docs.resolve(media.get("schema") or {}, body_base)
            body_example = media.get("example", schema.get("example"))
            if body_example is None and "examples" in media:
                body_example = next(iter(media["examples"].values())).get("value")
            properties, required, free_form = merged_object_schema(docs, schema, schema_base)
            if properties and not free_form:
                for key, value in properties.items():
                    if any(c in key for c in '"\\') or any(ord(c) < 0x20 for c in key):
                        raise SpecShapeError(f"{operation['operationId']}: body key {key!r}")
                    # A body member named like a path or query parameter (putRoomKeysVersion's
                    # "version") is taken as argument body_<name>; its wire name stays <name>.
                    taken = {p["name"] for p in params} | reserved
                    params.append({
                        "name": f"body_{key}" if key in taken else key,
                        "in": "body_field",
                        "type": schema_type(value, key),
                        "required": key in required,
                        "wire_name": key,
                        **({"example": value["example"]} if "example" in value else {}),
                    })
            else:
                params.append({"name": "body", "in": "body_whole", "type": "json_object",
                               "required": body_required, "wire_name": "body"})
        elif len(content) == 1 or "application/octet-stream" in content:
            media = content.get("application/octet-stream") or next(iter(content.values()))
            params.append({"name": "body", "in": "body_raw", "type": "bytes",
                           "required": body_required, "wire_name": "body"})
            body_example = (media.get("schema") or {}).get("example", media.get("example"))
        else:
            raise SpecShapeError(f"{operation['operationId']}: request body types {list(content)}")

    names = [p["name"] for p in params]
    if reserved & set(names):
        raise SpecShapeError(f"{operation['operationId']}: a parameter is named {reserved & set(names)}")
    if len(set(names)) != len(names):
        raise SpecShapeError(f"{operation['operationId']}: two parameters share a name: {names}")
    return params, body_example, body_required


def load_operations(spec_dir):
    """Every client-server operation, sorted by (path, method) as the spec serves them."""
    docs = Documents(spec_dir)
    operations = []
    for file_path in sorted(Path(spec_dir).glob("*.yaml")):
        doc = docs.load(file_path)
        if not isinstance(doc, dict) or "paths" not in doc:
            continue
        prefix = base_path(file_path.name, doc)
        for raw_path, item in doc["paths"].items():
            for method in HTTP_METHODS:
                operation = item.get(method)
                if operation is None:
                    continue
                op_id = operation["operationId"]
                path = prefix + raw_path.strip()
                template, versions = version_history(path, operation)
                auth = auth_of(op_id, operation.get("security"))
                params, body_example, body_required = operation_params(docs, file_path, template, item, operation, auth)
                operations.append({
                    "operation_id": op_id,
                    "name": snake_case(op_id),
                    "method": method.upper(),
                    "path": path,
                    "path_template": template,
                    "versions": versions,
                    "auth": auth,
                    "rate_limited": "429" in {str(k) for k in (operation.get("responses") or {})},
                    "deprecated": bool(operation.get("deprecated")),
                    "source_file": file_path.name,
                    "params": params,
                    "body_example": body_example,
                    "body_required": body_required,
                })
    operations.sort(key=lambda o: (o["path"], o["method"], o["operation_id"]))
    ids = [o["operation_id"] for o in operations]
    if len(set(ids)) != len(ids):
        raise SpecShapeError("two operations share an operationId")
    names = [o["name"] for o in operations]
    if len(set(names)) != len(names):
        raise SpecShapeError("two operationIds share a snake_case name")
    return operations
