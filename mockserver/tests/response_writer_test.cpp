// Response heads: the status line, the handler's headers, and the framing the server writes.
#include "http/response_writer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace matrix::mock::http {
namespace {

using namespace std::string_literals;

ResponseFraming keep_open() { return {}; }

ResponseFraming closing() {
    ResponseFraming framing;
    framing.close = true;
    return framing;
}

ResponseFraming keep_alive_1_0() {
    ResponseFraming framing;
    framing.keep_alive_1_0 = true;
    return framing;
}

TEST(ResponseHead, WritesTheStatusLineWithItsReasonPhrase) {
    EXPECT_EQ(response_head(200, {}, 0, keep_open()),
              "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    EXPECT_EQ(response_head(404, {}, 12, keep_open()),
              "HTTP/1.1 404 Not Found\r\nContent-Length: 12\r\n\r\n");
    EXPECT_EQ(response_head(429, {}, 1, keep_open()).substr(0, 35),
              "HTTP/1.1 429 Too Many Requests\r\nCon");
}

TEST(ResponseHead, WritesAStatusWithoutAKnownReasonWithAGenericOne) {
    EXPECT_EQ(response_head(299, {}, 0, keep_open()),
              "HTTP/1.1 299 Status\r\nContent-Length: 0\r\n\r\n");
}

TEST(ResponseHead, WritesTheHandlersHeadersInOrderAsGiven) {
    const std::vector<Header> headers = {{"Content-Type", "application/json"},
                                         {"x-lower", "a"},
                                         {"X-Dup", "1"},
                                         {"X-Dup", "2"},
                                         {"Empty", ""}};
    EXPECT_EQ(response_head(200, headers, 2, keep_open()),
              "HTTP/1.1 200 OK\r\n"
              "Content-Type: application/json\r\n"
              "x-lower: a\r\n"
              "X-Dup: 1\r\n"
              "X-Dup: 2\r\n"
              "Empty: \r\n"
              "Content-Length: 2\r\n"
              "\r\n");
}

TEST(ResponseHead, DropsTheHandlersFramingHeadersAndWritesItsOwnContentLength) {
    const std::vector<Header> headers = {{"Content-Length", "999"},
                                         {"X-Before", "1"},
                                         {"transfer-encoding", "chunked"},
                                         {"CONNECTION", "keep-alive"},
                                         {"content-length", "7"},
                                         {"Connection", "close"},
                                         {"X-After", "2"}};
    EXPECT_EQ(response_head(200, headers, 5, keep_open()),
              "HTTP/1.1 200 OK\r\nX-Before: 1\r\nX-After: 2\r\nContent-Length: 5\r\n\r\n");
}

TEST(ResponseHead, DropsHeadersWhoseNameOrValueHoldsALineBreakOrNul) {
    const std::vector<Header> headers = {
        {"X-Crlf", "a\r\nX-Injected: 1"}, {"X-Lf", "a\nb"},  {"X-Cr", "a\rb"},  {"X-Nul", "a\0b"s},
        {"X-Name\r\nX-Injected", "1"},    {"X-Name\n", "1"}, {"X-Name\r", "1"}, {"X-Kept", "ok"}};
    EXPECT_EQ(response_head(200, headers, 0, keep_open()),
              "HTTP/1.1 200 OK\r\nX-Kept: ok\r\nContent-Length: 0\r\n\r\n");
}

TEST(ResponseHead, DropsAHeaderWhoseNameHoldsANul) {
    const std::vector<Header> headers = {{"X-A\0B"s, "1"}, {"X-Kept", "ok"}};
    EXPECT_EQ(response_head(200, headers, 0, keep_open()),
              "HTTP/1.1 200 OK\r\nX-Kept: ok\r\nContent-Length: 0\r\n\r\n");
}

TEST(ResponseHead, WritesNoContentLengthForStatusesWithoutABody) {
    for (const int status : {100, 101, 103, 204, 304}) {
        const std::string head = response_head(status, {}, 42, keep_open());
        EXPECT_EQ(head.find("Content-Length"), std::string::npos) << head;
        EXPECT_EQ(head.substr(head.size() - 4), "\r\n\r\n") << head;
    }
    EXPECT_EQ(response_head(204, {{"X-A", "1"}}, 0, keep_open()),
              "HTTP/1.1 204 No Content\r\nX-A: 1\r\n\r\n");
    EXPECT_EQ(response_head(304, {}, 10, closing()),
              "HTTP/1.1 304 Not Modified\r\nConnection: close\r\n\r\n");
}

TEST(ResponseHead, WritesTheBodysContentLengthForAHeadRequest) {
    ResponseFraming framing;
    framing.head_request = true;
    EXPECT_EQ(response_head(200, {}, 1234, framing),
              "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n");
}

TEST(ResponseHead, SaysConnectionCloseWhenTheConnectionEnds) {
    EXPECT_EQ(response_head(200, {}, 3, closing()),
              "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\n");
    ResponseFraming both = closing();
    both.keep_alive_1_0 = true;
    EXPECT_EQ(response_head(200, {}, 3, both),
              "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\n");
}

TEST(ResponseHead, SaysConnectionKeepAliveToAnHttp10ClientThatAskedForIt) {
    EXPECT_EQ(response_head(200, {}, 3, keep_alive_1_0()),
              "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: keep-alive\r\n\r\n");
}

TEST(ResponseHead, SaysNothingAboutTheConnectionWhenItStaysOpenAsUsual) {
    EXPECT_EQ(response_head(200, {}, 3, keep_open()).find("Connection"), std::string::npos);
}

TEST(ResponseHead, WritesAStatusOutside100To999As500) {
    for (const int status : {-1, 0, 42, 99, 1000, 12345}) {
        EXPECT_EQ(response_head(status, {}, 0, keep_open()).substr(0, 13), "HTTP/1.1 500 ")
            << "status " << status;
    }
    EXPECT_EQ(response_head(999, {}, 0, keep_open()).substr(0, 13), "HTTP/1.1 999 ");
    EXPECT_EQ(response_head(100, {}, 0, keep_open()).substr(0, 13), "HTTP/1.1 100 ");
}

TEST(ResponseHead, WritesAStatusOutside100To999AsAWhole500WithItsBodyFramed) {
    for (const int status : {-1, 0, 42, 99, 1000}) {
        EXPECT_EQ(response_head(status, {}, 5, keep_open()),
                  "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 5\r\n\r\n")
            << "status " << status;
    }
}

TEST(StatusHasBody, IsFalseOnlyFor1xx204And304) {
    for (const int status : {100, 101, 103, 199, 204, 304}) {
        EXPECT_FALSE(status_has_body(status)) << status;
    }
    for (const int status : {200, 201, 203, 205, 206, 300, 303, 305, 400, 404, 500, 599}) {
        EXPECT_TRUE(status_has_body(status)) << status;
    }
}

TEST(ReasonPhrase, NamesTheStatusesTheServerSends) {
    EXPECT_EQ(reason_phrase(100), "Continue");
    EXPECT_EQ(reason_phrase(200), "OK");
    EXPECT_EQ(reason_phrase(400), "Bad Request");
    EXPECT_EQ(reason_phrase(413), "Content Too Large");
    EXPECT_EQ(reason_phrase(414), "URI Too Long");
    EXPECT_EQ(reason_phrase(431), "Request Header Fields Too Large");
    EXPECT_EQ(reason_phrase(500), "Internal Server Error");
    EXPECT_EQ(reason_phrase(505), "HTTP Version Not Supported");
    EXPECT_EQ(reason_phrase(299), "Status");
}

}  // namespace
}  // namespace matrix::mock::http
