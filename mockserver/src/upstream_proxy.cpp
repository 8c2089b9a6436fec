// Forwarding a journaled request, turning upstream's outcome into the mock's answer, and
// recording the exchange.
#include "upstream_proxy.hpp"

#include <iostream>
#include <utility>

namespace matrix::mock {
namespace {

ResponseDefinition unreachable(const std::string& reason) {
    return ResponseDefinition::matrix_error("M_UNKNOWN", reason, {}, {}, 502);
}

}  // namespace

UpstreamProxy::UpstreamProxy(const std::string& upstream_url, const std::string& record_dir,
                             ProxyLimits limits)
    : forwarder_(parse_upstream_url(upstream_url), limits),
      recorder_(record_dir.empty() ? nullptr : std::make_unique<ExchangeRecorder>(record_dir)) {}

void UpstreamProxy::answer(std::shared_ptr<JournalEntry> entry, Done done) {
    ForwardedRequest request{entry->method, entry->target, entry->headers, entry->body.str()};
    entry->answerer = Answerer::proxy;
    entry->proxied_to = forwarder_.upstream().text;
    auto on_outcome = [this, entry, done](ForwardOutcome outcome) {
        if (!outcome.answer) {
            done(std::move(*entry), unreachable(outcome.failure));
            return;
        }
        if (recorder_) {
            if (std::optional<std::string> problem = recorder_->record(*entry, *outcome.answer)) {
                // Said where the user looks: the journal and the server's output.
                std::cerr << "matrix-mockserver: " << entry->method << " " << entry->target << ": "
                          << *problem << std::endl;
                entry->flags.push_back(std::move(*problem));
            }
        }
        ResponseDefinition response;
        response.status = outcome.answer->status;
        response.headers = std::move(outcome.answer->headers);
        response.body = std::move(outcome.answer->body);
        done(std::move(*entry), std::move(response));
    };
    if (!forwarder_.forward(std::move(request), on_outcome)) {
        done(std::move(*entry),
             unreachable("upstream " + forwarder_.upstream().text +
                         " unreachable: too many requests are waiting for it (the proxy "
                         "forwards a bounded number at once)"));
    }
}

void UpstreamProxy::stop() { forwarder_.stop(); }

}  // namespace matrix::mock
