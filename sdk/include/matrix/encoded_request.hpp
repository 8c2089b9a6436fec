// A request encoded once, straight to the HTTP/1.1 bytes that go on the wire, in one buffer.
#pragma once

#include <cstddef>
#include <iterator>
#include <memory>
#include <string_view>

#include "matrix/request.hpp"

namespace matrix {

namespace detail {
template <typename Call>
class RequestEncoder;
}

struct HeaderView {
    std::string_view name;
    std::string_view value;
};

// The "Name: value\r\n" lines of a header block, read in place.
class HeaderLines {
  public:
    class iterator {
      public:
        using iterator_concept = std::forward_iterator_tag;
        using value_type = HeaderView;
        using difference_type = std::ptrdiff_t;

        iterator() = default;
        explicit iterator(std::string_view rest) noexcept : rest_(rest) { read_line(); }

        const HeaderView& operator*() const noexcept { return current_; }
        const HeaderView* operator->() const noexcept { return &current_; }
        iterator& operator++() noexcept {
            rest_.remove_prefix(line_size_);
            read_line();
            return *this;
        }
        iterator operator++(int) noexcept {
            iterator before = *this;
            ++*this;
            return before;
        }
        friend bool operator==(const iterator& a, const iterator& b) noexcept {
            return a.rest_.size() == b.rest_.size();
        }

      private:
        void read_line() noexcept {
            if (rest_.empty()) return;
            // Header names never hold ':', and values never hold CR or LF: both are refused.
            const std::size_t end = rest_.find("\r\n");
            const std::size_t colon = rest_.find(':');
            current_ = {rest_.substr(0, colon), rest_.substr(colon + 2, end - colon - 2)};
            line_size_ = end + 2;
        }

        std::string_view rest_;
        HeaderView current_;
        std::size_t line_size_ = 0;
    };

    HeaderLines() = default;
    explicit HeaderLines(std::string_view block) noexcept : block_(block) {}

    iterator begin() const noexcept { return iterator(block_); }
    iterator end() const noexcept { return iterator(block_.substr(block_.size())); }
    bool empty() const noexcept { return block_.empty(); }

  private:
    std::string_view block_;
};

// One owning buffer holding the whole request as it is sent:
//
//   METHOD target HTTP/1.1\r\n
//   the request's own headers (Authorization, ...)\r\n
//   Content-Type: application/json\r\n     (a JSON body without its own Content-Type)
//   Host: <host[:port] of the base URL>\r\n
//   Content-Length: <n>\r\n                (when there is a body)
//   \r\n
//   body
//
// The views below point into that buffer; they are what render(build(...)) gives, except that
// target() starts with the base URL's path prefix ("/matrix" of "https://h/matrix/"), as the
// request line needs it.
class EncodedRequest {
  public:
    EncodedRequest() = default;
    EncodedRequest(const EncodedRequest& other);
    EncodedRequest& operator=(const EncodedRequest& other);
    EncodedRequest(EncodedRequest&&) noexcept = default;
    EncodedRequest& operator=(EncodedRequest&&) noexcept = default;
    ~EncodedRequest() = default;

    // Everything, ready for a socket.
    std::string_view bytes() const noexcept { return slice(0, size_); }
    // The request line and headers, through the blank line.
    std::string_view head() const noexcept { return slice(0, body_offset_); }
    std::string_view method() const noexcept { return slice(0, method_size_); }
    std::string_view target() const noexcept { return slice(method_size_ + 1, target_size_); }
    // The request's own headers, as render() gives them; not Host, Content-Type or
    // Content-Length, which the encoding adds for the transport.
    HeaderLines headers() const noexcept {
        return HeaderLines(slice(headers_offset_, headers_size_));
    }
    std::string_view body() const noexcept { return slice(body_offset_, size_ - body_offset_); }
    BodyKind body_kind() const noexcept { return body_kind_; }

  private:
    template <typename Call>
    friend class detail::RequestEncoder;

    // A default-constructed request has no buffer: every view is empty.
    std::string_view slice(std::size_t offset, std::size_t size) const noexcept {
        return data_ ? std::string_view(data_.get() + offset, size) : std::string_view();
    }

    std::unique_ptr<char[]> data_;
    std::size_t size_ = 0;
    std::size_t method_size_ = 0;
    std::size_t target_size_ = 0;
    std::size_t headers_offset_ = 0;
    std::size_t headers_size_ = 0;
    std::size_t body_offset_ = 0;
    BodyKind body_kind_ = BodyKind::none;
};

}  // namespace matrix
