#!/usr/bin/env python3
# Derives what the spec validator checks of a request (and of a successful response), per
# client-server operation, from the
# Matrix spec's OpenAPI files (Apache-2.0, https://github.com/matrix-org/matrix-spec), and the
# content schema of every event type from its event schemas. Writes
# sdk/src/generated/request_schemas.cpp: one JSON document, compiled by the validator once at
# first use. Only structure is taken (types, enums, formats, required members,
# additionalProperties); no prose.
#
# The document:
#   {"operations": {operationId: {"path": {name: SCHEMA}, "query": {name: SCHEMA},
#                                 "query_required": [name...],
#                                 "body": {"media": "json" | "binary", "required": bool,
#                                          "schema": SCHEMA},   # "body" absent when none
#                                 "responses": {"200": SCHEMA, ...}}},  # 2xx JSON bodies
#    "event_content": {event type: SCHEMA}}
# SCHEMA, a subset of JSON Schema with every $ref inlined and allOf merged:
#   "type" (a name or a list of names), "enum", "format" (only the mx-* formats and uri),
#   "properties", "required", "additionalProperties" (false or a SCHEMA), "items" (a SCHEMA),
#   "oneOf" (a list of SCHEMAs; anyOf is written as oneOf: the validator accepts a value that
#   any alternative accepts). An empty object accepts anything.
#
# Usage: derive_request_schemas.py [SPEC_DATA_DIR] > sdk/src/generated/request_schemas.cpp
# SPEC_DATA_DIR defaults to ../shared/matrix-spec/data from the repo root.
import json
import sys
from pathlib import Path

from spec_model import Documents, HTTP_METHODS, SpecShapeError, load_operations

# Formats a client can be held to from the value alone; the others (int64, email) are left out.
CHECKED_FORMATS = {"mx-user-id", "mx-room-id", "mx-event-id", "mx-room-alias", "mx-mxc-uri",
                   "mx-server-name", "uri"}
TYPE_NAMES = {"string", "integer", "number", "boolean", "object", "array", "null"}


class SchemaCompactor:
    def __init__(self, docs):
        self.docs = docs
        self.missing = set()

    def compact(self, node, base, stack=()):
        """The SCHEMA for `node` (a JSON schema in file `base`)."""
        key = None
        if isinstance(node, dict) and "$ref" in node:
            key = (str(base), node["$ref"])
            if key in stack:
                return {}  # a recursive schema: accept anything below the first repetition
            try:
                node, base = self.docs.resolve(node, base)
            except FileNotFoundError as missing:
                # A few response schemas point into the application-service API, which the
                # client-server files do not carry: such a part accepts anything.
                self.missing.add(Path(missing.filename).name)
                return {}
            stack = stack + (key,)
        if not isinstance(node, dict):
            return {}
        out = {}
        for part in node.get("allOf", []):
            self.merge(out, self.compact(part, base, stack))
        kind = node.get("type")
        if isinstance(kind, str) and kind in TYPE_NAMES:
            out["type"] = kind
        elif isinstance(kind, list) and all(k in TYPE_NAMES for k in kind):
            out["type"] = kind
        if isinstance(node.get("enum"), list):
            out["enum"] = node["enum"]
        if node.get("format") in CHECKED_FORMATS:
            out["format"] = node["format"]
        if isinstance(node.get("properties"), dict):
            props = out.setdefault("properties", {})
            for name, value in node["properties"].items():
                props[name] = self.compact(value, base, stack)
        if isinstance(node.get("required"), list):
            out["required"] = sorted(set(out.get("required", [])) | set(node["required"]))
        # Keys matching a pattern are allowed even where additionalProperties is false; the
        # patterns are not checked, so such an object keeps no additionalProperties rule.
        if "patternProperties" not in node:
            extra = node.get("additionalProperties")
            if extra is False:
                out["additionalProperties"] = False
            elif isinstance(extra, dict):
                compacted = self.compact(extra, base, stack)
                if compacted:
                    out["additionalProperties"] = compacted
        else:
            out.pop("additionalProperties", None)
        if "items" in node:
            items = self.compact(node["items"], base, stack)
            if items:
                out["items"] = items
        for union in ("oneOf", "anyOf"):
            if isinstance(node.get(union), list):
                alternatives = [self.compact(a, base, stack) for a in node[union]]
                # An alternative that accepts anything makes the union accept anything.
                if all(alternatives):
                    out["oneOf"] = alternatives
        return out

    @staticmethod
    def merge(into, part):
        for key, value in part.items():
            if key == "properties":
                into.setdefault("properties", {}).update(value)
            elif key == "required":
                into["required"] = sorted(set(into.get("required", [])) | set(value))
            elif key not in into:
                into[key] = value


def operation_schemas(docs, compactor, spec_dir):
    """Path, query and body rules of every operation, keyed by operationId."""
    by_id = {}
    for file_path in sorted(Path(spec_dir).glob("*.yaml")):
        doc = docs.load(file_path)
        if not isinstance(doc, dict) or "paths" not in doc:
            continue
        for item in doc["paths"].values():
            for method in HTTP_METHODS:
                operation = item.get(method)
                if operation is None:
                    continue
                rules = {"path": {}, "query": {}, "query_required": []}
                for entry in list(item.get("parameters") or []) + list(operation.get("parameters") or []):
                    entry, entry_base = docs.resolve(entry, file_path)
                    if entry["in"] not in ("path", "query"):
                        continue
                    schema = compactor.compact(entry.get("schema") or {}, entry_base)
                    rules[entry["in"]][entry["name"]] = schema
                    if entry["in"] == "query" and entry.get("required"):
                        rules["query_required"].append(entry["name"])
                body = operation.get("requestBody")
                if body is not None:
                    body, body_base = docs.resolve(body, file_path)
                    content = body.get("content") or {}
                    if "application/json" in content:
                        media = content["application/json"]
                        rules["body"] = {
                            "media": "json",
                            "required": bool(body.get("required")),
                            "schema": compactor.compact(media.get("schema") or {}, body_base),
                        }
                    else:
                        rules["body"] = {"media": "binary", "required": bool(body.get("required")),
                                         "schema": {}}
                rules["responses"] = success_responses(docs, compactor, file_path, operation)
                by_id[operation["operationId"]] = rules
    return by_id


def success_responses(docs, compactor, file_path, operation):
    """The JSON body schema of each 2xx response the operation lists, by status code."""
    out = {}
    for status, response in (operation.get("responses") or {}).items():
        if not str(status).startswith("2"):
            continue
        response, base = docs.resolve(response, file_path)
        media = (response.get("content") or {}).get("application/json")
        if media is not None:
            out[str(status)] = compactor.compact(media.get("schema") or {}, base)
    return out


def event_content_schemas(docs, compactor, event_dir):
    """The `content` schema of every event type the spec defines, by type."""
    schemas = {}
    for file_path in sorted(Path(event_dir).glob("m.*.yaml")):
        if "$" in file_path.name:
            continue  # msgtype and redacted variants, not event types of their own
        doc = docs.load(file_path)
        properties = (doc or {}).get("properties") or {}
        type_enum = (properties.get("type") or {}).get("enum") or []
        if len(type_enum) != 1 or "content" not in properties:
            continue
        content = compactor.compact(properties["content"], file_path)
        if content:
            schemas[type_enum[0]] = content
    return schemas


def cpp_source(document):
    text = json.dumps(document, separators=(",", ":"), sort_keys=True, ensure_ascii=True)
    if ")schemas\"" in text:
        raise SpecShapeError("the schema text holds the raw string's delimiter")
    chunks = [text[i:i + 16000] for i in range(0, len(text), 16000)]
    out = [
        "// Generated by sdk/spec/derive_request_schemas.py from the Matrix spec's client-server",
        "// OpenAPI and event-schema files (https://github.com/matrix-org/matrix-spec, Apache-2.0).",
        "// Do not edit: rerun the script.",
        "#include \"validation/request_schemas.hpp\"",
        "",
        "namespace matrix::validation {",
        "",
        "// In pieces: some compilers limit the length of one string literal.",
        "// clang-format off",
        "const std::string_view kRequestSchemasJson =",
    ]
    out += [f"    R\"schemas({chunk})schemas\"" for chunk in chunks]
    out[-1] += ";"
    out += ["// clang-format on", "", "}  // namespace matrix::validation", ""]
    return "\n".join(out)


def main():
    root = Path(__file__).resolve().parents[2]
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else root.parent / "shared/matrix-spec/data"
    spec_dir = data / "api/client-server"
    docs = Documents(spec_dir)
    compactor = SchemaCompactor(docs)
    declared = {o["operation_id"] for o in load_operations(spec_dir)}
    operations = operation_schemas(docs, compactor, spec_dir)
    if set(operations) != declared:
        raise SpecShapeError(f"operations differ from the declarations: {set(operations) ^ declared}")
    document = {
        "operations": operations,
        "event_content": event_content_schemas(docs, compactor, data / "event-schemas/schema"),
    }
    if compactor.missing:
        print(f"derive_request_schemas.py: accepting anything where the spec refers to files it "
              f"does not hold: {sorted(compactor.missing)}", file=sys.stderr)
    sys.stdout.write(cpp_source(document))


if __name__ == "__main__":
    main()
