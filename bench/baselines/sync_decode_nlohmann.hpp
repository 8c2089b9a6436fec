// Baseline /sync decoder: nlohmann::json DOM, then a copy into matrix::sync's structs.
#pragma once

#include <string_view>

#include "matrix/sync.hpp"

namespace matrix::bench {

// What mtxclient does: parse the whole body into a DOM, then copy what is known into the typed
// model, with raw content re-serialized by dump(). Same semantics as matrix::sync::decode;
// throws matrix::sync::SyncDecodeError.
matrix::sync::SyncResponse decode_sync_nlohmann(std::string_view json);

}  // namespace matrix::bench
