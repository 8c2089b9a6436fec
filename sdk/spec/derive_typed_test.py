#!/usr/bin/env python3
# Writes sdk/tests/generated/typed_operations_test_{0..3}.cpp (four, so that no translation unit
# takes over 20 s to compile): for every operation, its typed builder
# (matrix/operations.hpp) given the arguments of its spec vector (fixtures/vectors/spec/
# operations.json) must build and encode the same request as the by-name builder given them.
#
# Usage: python3 sdk/spec/derive_typed_test.py [SPEC_CLIENT_SERVER_DIR]
import json
import sys
from pathlib import Path

import derive_operations
import spec_model

ROOT = Path(__file__).resolve().parents[2]


def cpp_string(text):
    return json.dumps(text, ensure_ascii=True)


def cpp_value(param, value):
    kind = param["type"]
    if kind in ("json_object", "json_array", "json_value"):
        return f"Json::parse({cpp_string(json.dumps(value, ensure_ascii=False))})"
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "integer":
        return f"std::int64_t{{{value}}}"
    return cpp_string(value)


def main():
    spec_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else (
        ROOT.parent / "shared/matrix-spec/data/api/client-server")
    operations = {op["operation_id"]: op for op in spec_model.load_operations(spec_dir)}
    vectors = json.loads((ROOT / "fixtures/vectors/spec/operations.json").read_text())["vectors"]
    parts = 4
    for part in range(parts):
        chunk = vectors[part * len(vectors) // parts:(part + 1) * len(vectors) // parts]
        path = ROOT / f"sdk/tests/generated/typed_operations_test_{part}.cpp"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(test_file(chunk, operations))


def test_file(vectors, operations):
    out = derive_operations.HEADER[:-1] + [
        "//   python3 sdk/spec/derive_typed_test.py",
        "// clang-format off",
        "#include <gtest/gtest.h>",
        "",
        "#include <cstdint>",
        "",
        '#include "matrix/named_builder.hpp"',
        '#include "matrix/operations.hpp"',
        "",
        "namespace matrix {",
        "namespace {",
        "",
        "// A seed name that is also an operationId (sync) builds the seed's form by name, at r0 by",
        "// default; its vector names the version, so both sides are built at that one.",
        "template <typename Args>",
        "void expect_same_as_by_name(const Args& args, const char* operation_id, const char* args_json,",
        "                            BuildOptions options = {}) {",
        "    EXPECT_EQ(render(ops::build(args, options)),",
        "              render(build_by_name(operation_id, args_json, options)));",
        "    EXPECT_EQ(ops::encode(args, options).bytes(),",
        "              encode_by_name(operation_id, args_json, options).bytes());",
        "}",
        "",
    ]
    for vector in vectors:
        op = operations[vector["endpoint"]]
        name = derive_operations.struct_name(op["operation_id"])
        out.append(f"TEST(TypedOperations, {op['operation_id']}) {{")
        out.append(f"    ops::{name} args;")
        for param in derive_operations.all_params(op):
            if param["name"] not in vector["args"]:
                continue
            member = derive_operations.member_name(param["name"])
            out.append(f"    args.{member} = {cpp_value(param, vector['args'][param['name']])};")
        args_json = json.dumps(vector["args"], ensure_ascii=False)
        options = (f", {{.version = PathVersion::{vector['version']}}}" if "version" in vector else "")
        out.append(f"    expect_same_as_by_name(args, {cpp_string(op['operation_id'])}, {cpp_string(args_json)}{options});")
        out.append("}")
        out.append("")
    out += ["}  // namespace", "}  // namespace matrix", "// clang-format on"]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    main()
