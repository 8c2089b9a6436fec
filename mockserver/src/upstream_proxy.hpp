// The mock server's --proxy-to role: a request no stub matched goes to the real homeserver, its
// answer comes back as the mock's, and with --record it is written as a mapping file.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "exchange_recorder.hpp"
#include "matrix/mock/journal.hpp"
#include "matrix/mock/stub.hpp"
#include "proxy_forwarder.hpp"

namespace matrix::mock {

class UpstreamProxy {
  public:
    // Throws std::invalid_argument for a bad URL, RecordFolderError for a bad record folder.
    UpstreamProxy(const std::string& upstream_url, const std::string& record_dir,
                  ProxyLimits limits = {});

    // Forwards the request of `entry`; `done` gets the entry (proxied_to set, and a flag when
    // recording failed) and the answer: upstream's, or 502 M_UNKNOWN saying why none came.
    // `done` runs on a forwarding thread, or at once when too many requests wait.
    using Done = std::function<void(JournalEntry, ResponseDefinition)>;
    void answer(std::shared_ptr<JournalEntry> entry, Done done);

    void stop();  // cuts in-flight calls; idempotent

  private:
    ProxyForwarder forwarder_;
    std::unique_ptr<ExchangeRecorder> recorder_;  // null without a record folder
};

}  // namespace matrix::mock
