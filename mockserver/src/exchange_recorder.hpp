// Recording proxied exchanges as mapping files (--record DIR): one file per operation and
// distinct request, secrets replaced by placeholders, ids by session-wide pseudonyms, so that
// `matrix-mockserver --no-simulation --mappings DIR` replays the session (docs/record-replay.md).
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "matrix/error.hpp"
#include "matrix/mock/journal.hpp"
#include "matrix/mock/pattern.hpp"
#include "matrix/mock/stub.hpp"
#include "proxy_forwarder.hpp"
#include "record_pseudonyms.hpp"
#include "record_secrets.hpp"

namespace matrix::mock {

// The record folder cannot be used (not creatable, or it already holds a session's files).
class RecordFolderError : public StandardError<std::runtime_error> {
  public:
    using StandardError::StandardError;
};

// Thread-safe: forwarding threads record concurrently.
class ExchangeRecorder {
  public:
    // Creates `dir` when missing. Throws RecordFolderError when it cannot, or when it already
    // holds *.json files: pseudonyms are consistent within one session only, so sessions are
    // never mixed in one folder.
    explicit ExchangeRecorder(std::string dir);

    // Adds the exchange to its mapping file (creating it, or appending the answer to its
    // sequence) and rewrites that file. Returns why it was not recorded (naming the file when a
    // write failed), or nullopt when it was.
    std::optional<std::string> record(const JournalEntry& request, const UpstreamAnswer& answer);

    const std::string& dir() const noexcept { return dir_; }

  private:
    // One distinct request of the session and the answers it got, in order.
    struct Recording {
        std::string file_stem;  // "sync-2": the file's name and the mapping's id
        std::string label;      // "GET /_matrix/client/v3/sync"
        RequestPattern request;
        int priority = 5;
        std::vector<ResponseDefinition> responses;
    };

    std::optional<ResponseDefinition> recorded_answer(const UpstreamAnswer& answer,
                                                      std::string& why_not);
    std::string next_file_stem(const JournalEntry& request);
    std::optional<std::string> write(const Recording& recording) const;

    std::string dir_;
    std::mutex mutex_;
    Pseudonyms pseudonyms_;
    SecretPlaceholders secrets_;
    std::map<std::string, Recording> by_request_;       // by the request's recorded form
    std::map<std::string, std::size_t> per_operation_;  // files made for each operation id
};

}  // namespace matrix::mock
