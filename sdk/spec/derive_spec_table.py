#!/usr/bin/env python3
# Derives the table of Matrix client-server API operations (sdk/spec/client_server_operations.tsv) from the spec's OpenAPI files.
#
# Usage: python3 sdk/spec/derive_spec_table.py [SPEC_CLIENT_SERVER_DIR] > sdk/spec/client_server_operations.tsv
# SPEC_CLIENT_SERVER_DIR defaults to ../shared/matrix-spec/data/api/client-server relative to the repo root.
#
# Only identifiers are extracted (operationId, method, path, auth, deprecation); no prose is copied.
# Full path = path part of the file's single `servers` URL, with server variables replaced by their
# defaults (e.g. "{protocol}://{hostname}{basePath}" -> "/_matrix/client/v3"), + the `paths` key.
# A file with zero or several servers, or any other unexpected shape, is an error (exit 1), so that no
# operation is silently dropped or given a guessed base path.
# Path keys are stripped of surrounding whitespace: the spec adds a trailing space to a few keys (e.g.
# "/rooms/{roomId}/invite " in inviting.yaml, "/events " in peeking_events.yaml) only to keep them distinct
# from the same route documented in another file; such (method, path) duplicates are kept and noted on stderr.
# requires_auth mirrors the spec renderer (layouts/partials/openapi/render-operation.html):
# no `security` -> no; `security` containing an empty requirement {} (or naming only the
# federation scheme signedRequest, see spec_model.auth_of) -> optional; otherwise -> yes.
import re
import sys
from pathlib import Path

import yaml

from spec_model import SpecShapeError, auth_of, base_path

HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
PATH_ITEM_NON_OPERATION_KEYS = {"summary", "description", "parameters"}
COLUMNS = ["operation_id", "method", "path", "requires_auth", "deprecated", "source_file"]


# How a file's base path and an operation's auth are read is spec_model.py's, shared with the
# declarations (derive_operations.py), so the table and the declarations cannot read them apart.
TABLE_AUTH = {"none": "no", "optional": "optional", "required": "yes"}


def requires_auth(name, where, security):
    return TABLE_AUTH[auth_of(f"{name}: {where}", security)]


def rows_for_file(file):
    name = file.name
    doc = yaml.safe_load(file.read_text(encoding="utf-8"))
    if not isinstance(doc, dict):
        raise SpecShapeError(f"{name}: top level is not a mapping")
    if "security" in doc:
        raise SpecShapeError(f"{name}: top-level `security` is not handled by this script")
    base = base_path(name, doc)
    paths = doc.get("paths")
    if not isinstance(paths, dict) or not paths:
        raise SpecShapeError(f"{name}: `paths` is missing or empty")
    rows = []
    for key, item in paths.items():
        if not isinstance(key, str) or not key.startswith("/"):
            raise SpecShapeError(f"{name}: path key {key!r} does not start with '/'")
        if not isinstance(item, dict):
            raise SpecShapeError(f"{name}: {key}: path item is not a mapping")
        unknown = set(item) - HTTP_METHODS - PATH_ITEM_NON_OPERATION_KEYS
        if unknown:
            raise SpecShapeError(f"{name}: {key}: unhandled path item keys {sorted(unknown)} (e.g. $ref/servers)")
        methods = [m for m in item if m in HTTP_METHODS]
        if not methods:
            raise SpecShapeError(f"{name}: {key}: path item has no operations")
        for method in methods:
            op = item[method]
            where = f"{method.upper()} {key}"
            if not isinstance(op, dict):
                raise SpecShapeError(f"{name}: {where}: operation is not a mapping")
            if "servers" in op:
                raise SpecShapeError(f"{name}: {where}: operation-level `servers` is not handled by this script")
            op_id = op.get("operationId")
            if not isinstance(op_id, str) or not op_id:
                raise SpecShapeError(f"{name}: {where}: `operationId` is missing")
            deprecated = op.get("deprecated", False)
            if not isinstance(deprecated, bool):
                raise SpecShapeError(f"{name}: {where}: `deprecated` is not a boolean")
            rows.append([op_id, method.upper(), base + key.strip(),
                         requires_auth(name, where, op.get("security")),
                         "yes" if deprecated else "no", name])
    return rows


def main(argv):
    if len(argv) > 2:
        sys.exit(f"usage: {argv[0]} [SPEC_CLIENT_SERVER_DIR]")
    repo_root = Path(__file__).resolve().parents[2]
    spec_dir = Path(argv[1]) if len(argv) == 2 else repo_root / "../shared/matrix-spec/data/api/client-server"
    files = sorted(spec_dir.glob("*.yaml"))
    if not files:
        sys.exit(f"error: no *.yaml files found in {spec_dir}")
    try:
        rows = [row for file in files for row in rows_for_file(file)]
    except (SpecShapeError, yaml.YAMLError) as e:
        sys.exit(f"error: {e}")
    for row in rows:
        if any(re.search(r"[\t\r\n]", field) for field in row):
            sys.exit(f"error: {row[-1]}: field with tab/newline in {row!r}")
    rows.sort(key=lambda r: (r[2], r[1], r[0]))
    for label, key in (("(method, path)", lambda r: (r[1], r[2])), ("operationId", lambda r: r[0])):
        seen = {}
        for row in rows:
            seen.setdefault(key(row), []).append(row[0])
        for k, ids in seen.items():
            if len(ids) > 1:
                print(f"note: duplicate {label} {k}: {', '.join(ids)} (all kept)", file=sys.stderr)
    out = sys.stdout
    out.write("# Derived data: Matrix client-server API operations, extracted from the Matrix specification's\n"
              "# OpenAPI files (https://github.com/matrix-org/matrix-spec, data/api/client-server/*.yaml),\n"
              "# licensed under the Apache License, Version 2.0. Do not edit by hand; regenerate with:\n"
              "#   python3 sdk/spec/derive_spec_table.py [SPEC_CLIENT_SERVER_DIR] > sdk/spec/client_server_operations.tsv\n"
              "# Columns (tab-separated): " + ", ".join(COLUMNS) + "\n")
    out.write("\t".join(COLUMNS) + "\n")
    for row in rows:
        out.write("\t".join(row) + "\n")


if __name__ == "__main__":
    main(sys.argv)
