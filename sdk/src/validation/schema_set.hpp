// The spec's request rules compiled into a tree the validator walks without lookups by text:
// each schema node knows its accepted types, enum, format, members (sorted, found by binary
// search), required members, rule for other members, items and alternatives.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "matrix/endpoint.hpp"

namespace matrix::validation {

// The JSON types a schema names, one bit each; integer is also accepted where number is.
enum TypeBit : std::uint8_t {
    kNull = 1,
    kBoolean = 2,
    kInteger = 4,
    kNumber = 8,
    kString = 16,
    kObject = 32,
    kArray = 64,
};

// The string formats checked from the value alone (the spec's mx-* identifiers and uri).
enum class Format { none, user_id, room_id, event_id, room_alias, mxc_uri, server_name, uri };

struct Schema;

struct Member {
    std::string name;
    const Schema* schema;
};

struct Schema {
    std::uint8_t types = 0;  // TypeBit set; 0 accepts every type
    Format format = Format::none;
    const rapidjson::Value* enum_values = nullptr;  // an array in the set's document, or null
    std::vector<Member> properties;                 // sorted by name
    std::vector<std::string> required;              // in the spec's order (sorted)
    bool additional_forbidden = false;              // additionalProperties: false
    const Schema* additional = nullptr;             // additionalProperties: SCHEMA
    const Schema* items = nullptr;
    std::vector<const Schema*> one_of;

    const Schema* property(std::string_view name) const noexcept;
};

struct BodyRule {
    bool json = true;  // false: raw bytes (media uploads), not checked
    bool required = false;
    const Schema* schema = nullptr;
};

struct Parameter {
    std::string name;
    const Schema* schema;
};

struct OperationRules {
    std::vector<Parameter> path;
    std::vector<Parameter> query;
    std::vector<std::string> query_required;
    std::optional<BodyRule> body;
    std::map<int, const Schema*> responses;  // JSON body of each 2xx status the spec lists
};

class SchemaSet {
  public:
    // The rules derived from the spec, compiled on first use (thread-safe).
    static const SchemaSet& spec();

    // Compiles a document in the format derive_request_schemas.py writes; throws
    // std::invalid_argument naming the operation and key when it is not one.
    explicit SchemaSet(std::string_view json);

    // nullptr when the operation has no rules (not one of spec_operations()).
    const OperationRules* rules(const EndpointSpec& operation) const;
    // The content schema of an event type the spec defines; nullptr for other types.
    const Schema* event_content(std::string_view event_type) const;

  private:
    const Schema* compile(const rapidjson::Value& node, std::string_view where);

    rapidjson::Document document_;
    std::deque<Schema> nodes_;
    std::unordered_map<std::string_view, OperationRules> operations_;  // by operationId
    std::map<std::string, const Schema*, std::less<>> event_content_;
};

}  // namespace matrix::validation
