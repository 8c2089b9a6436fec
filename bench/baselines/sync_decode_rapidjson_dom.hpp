// Baseline /sync decoder: a RapidJSON Document (DOM), then a copy into matrix::sync's structs.
#pragma once

#include <string_view>

#include "matrix/sync.hpp"

namespace matrix::bench {

// Document::Parse, then the known fields copied into the typed model, with raw content
// re-serialized by a RapidJSON Writer. Same semantics as matrix::sync::decode; throws
// matrix::sync::SyncDecodeError.
matrix::sync::SyncResponse decode_sync_rapidjson_dom(std::string_view json);

}  // namespace matrix::bench
