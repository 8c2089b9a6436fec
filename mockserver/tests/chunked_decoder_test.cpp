// ChunkedDecoder: chunked request bodies decoded as they arrive, within a size limit.
#include "http/chunked_decoder.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "matrix/utf8.hpp"

namespace matrix::mock::http {
namespace {

using namespace std::string_literals;
using Status = ChunkedDecoder::Status;

constexpr std::size_t kLimit = 1024 * 1024;

// What decoding said: its status, the body, the bytes it took, and the refusal's status.
struct Decoded {
    Status status = Status::need_more;
    std::string body;
    std::size_t consumed = 0;
    int error_status = 0;  // 0: not failed
    friend bool operator==(const Decoded&, const Decoded&) = default;
};

std::ostream& operator<<(std::ostream& out, const Decoded& decoded) {
    const char* status = decoded.status == Status::done        ? "done"
                         : decoded.status == Status::need_more ? "need_more"
                                                               : "failed";
    return out << "{" << status << ", body '" << decoded.body << "', consumed " << decoded.consumed
               << ", error " << decoded.error_status << "}";
}

// Feeds `input` in pieces ending at each cut, then the rest, as the connection does: each call
// gets what is buffered and not yet consumed. Stops at done or failed.
Decoded decode(std::string_view input, const std::vector<std::size_t>& cuts = {},
               std::size_t limit = kLimit) {
    ChunkedDecoder decoder(limit);
    Decoded out;
    std::size_t at = 0;
    std::vector<std::size_t> ends = cuts;
    ends.push_back(input.size());
    for (const std::size_t end : ends) {
        if (end < at) continue;
        std::size_t consumed = 0;
        out.status = decoder.feed(input.substr(at, end - at), out.body, consumed);
        EXPECT_LE(consumed, end - at) << "consumed more than it was given";
        at += consumed;
        out.consumed = at;
        if (out.status == Status::failed) {
            out.error_status = decoder.error().status;
            EXPECT_FALSE(decoder.error().message.empty()) << "a refusal without a message";
        }
        if (out.status != Status::need_more) break;
        EXPECT_EQ(at, end) << "need_more without consuming all it was given";
    }
    return out;
}

Decoded done(std::string body, std::size_t consumed) {
    return {Status::done, std::move(body), consumed, 0};
}

int refusal_of(std::string_view input, std::size_t limit = kLimit) {
    const Decoded decoded = decode(input, {}, limit);
    EXPECT_EQ(decoded.status, Status::failed) << "'" << input << "' gave " << decoded;
    return decoded.error_status;
}

// Every two-piece split and the byte-by-byte feed give what feeding it whole gives.
void expect_the_same_decoding_however_split(std::string_view input, std::size_t limit = kLimit) {
    const Decoded whole = decode(input, {}, limit);
    for (std::size_t cut = 0; cut <= input.size(); ++cut) {
        EXPECT_EQ(decode(input, {cut}, limit), whole) << "split at byte " << cut;
    }
    std::vector<std::size_t> every_byte;
    for (std::size_t cut = 1; cut < input.size(); ++cut) every_byte.push_back(cut);
    EXPECT_EQ(decode(input, every_byte, limit), whole) << "fed byte by byte";
}

TEST(ChunkedDecoder, DecodesABodyInOnePiece) {
    const std::string input = "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
    EXPECT_EQ(decode(input), done("hello world", input.size()));
}

TEST(ChunkedDecoder, DecodesTheSameBodySplitAtEveryByteBoundary) {
    const std::string input =
        "7\r\n{\"body\"\r\n9;x=y\r\n:\"hi\"}   \r\n0\r\nX-Sum: 1\r\n\r\nGET / HTTP/1.1\r\n\r\n";
    EXPECT_EQ(decode(input), done("{\"body\":\"hi\"}   ", input.find("GET")));
    expect_the_same_decoding_however_split(input);
}

TEST(ChunkedDecoder, DecodesAnEmptyBody) {
    EXPECT_EQ(decode("0\r\n\r\n"), done("", 5));
    EXPECT_EQ(decode("0\n\n"), done("", 3));
}

TEST(ChunkedDecoder, NeedsMoreUntilTheLastChunkAndItsBlankLineArrive) {
    const std::string input = "3\r\nabc\r\n0\r\n\r\n";
    for (std::size_t size = 0; size < input.size(); ++size) {
        EXPECT_EQ(decode(input.substr(0, size)).status, Status::need_more)
            << "first " << size << " bytes";
    }
}

TEST(ChunkedDecoder, KeepsDataBytesAsTheyAreEvenLineEndsAndNuls) {
    const std::string data = "a\r\n0\r\n\r\n\0\xff"s;
    const std::string input = "a\r\n" + data + "\r\n0\r\n\r\n";
    EXPECT_EQ(decode(input), done(data, input.size()));
    expect_the_same_decoding_however_split(input);
}

TEST(ChunkedDecoder, IgnoresChunkExtensions) {
    const std::string input =
        "5;name=value\r\nhello\r\n1 ; a=\"q;x\"\r\n!\r\n2\t;b\r\nok\r\n0;last\r\n\r\n";
    EXPECT_EQ(decode(input), done("hello!ok", input.size()));
    expect_the_same_decoding_however_split(input);
}

TEST(ChunkedDecoder, AcceptsWhitespaceAfterTheSize) {
    const std::string input = "3 \r\nabc\r\n0\t\r\n\r\n";
    EXPECT_EQ(decode(input), done("abc", input.size()));
}

TEST(ChunkedDecoder, ReadsUpperAndLowerCaseHex) {
    const std::string sixteen(16, 'x');
    const std::string twenty_six(26, 'y');
    EXPECT_EQ(decode("A\r\n0123456789\r\n0\r\n\r\n").body, "0123456789");
    EXPECT_EQ(decode("a\r\n0123456789\r\n0\r\n\r\n").body, "0123456789");
    EXPECT_EQ(decode("10\r\n" + sixteen + "\r\n1a\r\n" + twenty_six + "\r\n0\r\n\r\n").body,
              sixteen + twenty_six);
    EXPECT_EQ(decode("1A\r\n" + twenty_six + "\r\n0\r\n\r\n").body, twenty_six);
    EXPECT_EQ(decode("00000003\r\nabc\r\n000\r\n\r\n").body, "abc");
}

TEST(ChunkedDecoder, DropsTrailersAndLeavesTheNextRequestUnconsumed) {
    const std::string body = "4\r\nwiki\r\n0\r\nX-Checksum: abc\r\nX-Other:\tv\r\n\r\n";
    const std::string input = body + "GET /next HTTP/1.1\r\n\r\n";
    EXPECT_EQ(decode(input), done("wiki", body.size()));
    expect_the_same_decoding_however_split(input);
}

TEST(ChunkedDecoder, LeavesBytesAfterTheFinalCrlfUnconsumed) {
    const std::string body = "4\r\nwiki\r\n0\r\n\r\n";
    EXPECT_EQ(decode(body + "\r\n"), done("wiki", body.size()));
    EXPECT_EQ(decode(body + "junk"), done("wiki", body.size()));
    EXPECT_EQ(decode(body + "5\r\nhello\r\n0\r\n\r\n"), done("wiki", body.size()));
}

TEST(ChunkedDecoder, TakesNothingMoreOnceDone) {
    ChunkedDecoder decoder(kLimit);
    std::string body;
    std::size_t consumed = 0;
    EXPECT_EQ(decoder.feed("1\r\nx\r\n0\r\n\r\n", body, consumed), Status::done);
    EXPECT_EQ(consumed, 11u);
    EXPECT_EQ(decoder.feed("1\r\ny\r\n0\r\n\r\n", body, consumed), Status::done);
    EXPECT_EQ(consumed, 0u);
    EXPECT_EQ(body, "x");
}

TEST(ChunkedDecoder, AcceptsLineFeedOnlyLineEnds) {
    const std::string input = "5\nhello\n6;e\n world\n0\nX-T: 1\n\nNEXT";
    EXPECT_EQ(decode(input), done("hello world", input.size() - 4));
    expect_the_same_decoding_however_split(input);
}

// --- the limit (413) --------------------------------------------------------------------------

TEST(ChunkedDecoder, AcceptsABodyOfExactlyTheLimit) {
    const std::string input = "6\r\nabcdef\r\n4\r\nghij\r\n0\r\n\r\n";
    EXPECT_EQ(decode(input, {}, 10), done("abcdefghij", input.size()));
    EXPECT_EQ(decode("0\r\n\r\n", {}, 0), done("", 5));
}

TEST(ChunkedDecoder, Refuses413AsSoonAsAChunkSizeAnnouncesMoreThanTheLimit) {
    // Only the size line has arrived: refused before any of the data.
    const Decoded decoded = decode("b\r\n", {}, 10);
    EXPECT_EQ(decoded.status, Status::failed);
    EXPECT_EQ(decoded.error_status, 413);
    EXPECT_EQ(decoded.body, "");

    EXPECT_EQ(refusal_of("1\r\n", 0), 413);
    EXPECT_EQ(refusal_of("ffffffffffffffff\r\n", 10), 413);
    EXPECT_EQ(refusal_of("8000000000000000\r\n"), 413);
}

TEST(ChunkedDecoder, Refuses413WhenTheChunksTogetherPassTheLimit) {
    const std::string input = "6\r\nabcdef\r\n5\r\n";
    const Decoded decoded = decode(input, {}, 10);
    EXPECT_EQ(decoded.status, Status::failed);
    EXPECT_EQ(decoded.error_status, 413);
    EXPECT_EQ(decoded.body, "abcdef");
    expect_the_same_decoding_however_split(input + "hello\r\n0\r\n\r\n", 10);
}

// --- malformed framing (400) ------------------------------------------------------------------

TEST(ChunkedDecoder, RefusesMalformedSizeLinesWith400) {
    for (const char* line : {"\r\n", "\n", "x\r\n", " 5\r\n", "5x\r\n", "-5\r\n", "+5\r\n",
                             "0x5\r\n", "5 5\r\n", ";ext\r\n", "5\r;\r\n", "g\r\n", "5\r\r\n"}) {
        EXPECT_EQ(refusal_of(line), 400) << "size line '" << line << "'";
    }
}

TEST(ChunkedDecoder, QuotesAMalformedSizeLineInValidUtf8WhateverItsBytes) {
    // Found by the http_request fuzz target: the quoted line went into a Matrix error body,
    // whose JSON writer refuses invalid UTF-8, and the exception ended the server.
    ChunkedDecoder decoder(1024);
    std::string body;
    std::size_t consumed = 0;
    ASSERT_EQ(decoder.feed("7\xf3\xf5\x84\xde\r\n", body, consumed),
              ChunkedDecoder::Status::failed);
    EXPECT_EQ(decoder.error().status, 400);
    EXPECT_TRUE(matrix::is_valid_utf8(decoder.error().message)) << decoder.error().message;
    EXPECT_NE(decoder.error().message.find("7\\xF3\\xF5"), std::string::npos)
        << decoder.error().message;
}

TEST(ChunkedDecoder, RefusesAChunkNotFollowedByCrlfWith400) {
    EXPECT_EQ(refusal_of("5\r\nhelloX\r\n0\r\n\r\n"), 400);
    EXPECT_EQ(refusal_of("5\r\nhello\rX\n0\r\n\r\n"), 400);
    EXPECT_EQ(refusal_of("5\r\nhello\r\r\n0\r\n\r\n"), 400);
    EXPECT_EQ(refusal_of("3\r\nhello\r\n0\r\n\r\n"), 400);  // the size is short of the data
    expect_the_same_decoding_however_split("5\r\nhello\rX\n0\r\n\r\n");
}

TEST(ChunkedDecoder, RefusesASizeThatOverflowsWith400) {
    EXPECT_EQ(refusal_of("10000000000000000\r\n"), 400);  // 2^64
    EXPECT_EQ(refusal_of("fffffffffffffffff\r\n"), 400);
    EXPECT_EQ(refusal_of(std::string(40, 'f') + "\r\n"), 400);
}

TEST(ChunkedDecoder, AcceptsLeadingZerosHoweverMany) {
    EXPECT_EQ(decode(std::string(100, '0') + "1\r\nz\r\n0\r\n\r\n").body, "z");
}

TEST(ChunkedDecoder, RefusesAnOverLongSizeLineWith400BeforeItsLineEnd) {
    // A size line with a 5000-byte extension and no line end yet.
    EXPECT_EQ(refusal_of("1;" + std::string(5000, 'e')), 400);
    EXPECT_EQ(refusal_of("1;" + std::string(5000, 'e') + "\r\nx\r\n0\r\n\r\n"), 400);
    // 4096 bytes with its line end are still a size line.
    const std::string line = "1;" + std::string(4096 - 2 - 2, 'e') + "\r\n";
    ASSERT_EQ(line.size(), 4096u);
    EXPECT_EQ(decode(line + "x\r\n0\r\n\r\n").body, "x");
    EXPECT_EQ(decode(line + "x\r\n0\r\n\r\n", {1000, 3000, 4095}).body, "x");
}

TEST(ChunkedDecoder, RefusesTrailersOver16KibibytesWith400) {
    std::string trailers;
    while (trailers.size() <= 16 * 1024) trailers += "X-Trailer: " + std::string(100, 't') + "\r\n";
    EXPECT_EQ(refusal_of("0\r\n" + trailers + "\r\n"), 400);
    EXPECT_EQ(refusal_of("0\r\n" + trailers), 400);  // before the blank line arrives
    EXPECT_EQ(refusal_of("0\r\nX-Long: " + std::string(20000, 't')), 400);  // nor its line end
}

TEST(ChunkedDecoder, AcceptsTrailersOfUpTo16Kibibytes) {
    std::string trailers;
    while (trailers.size() < 16 * 1024 - 200) trailers += "X-T: " + std::string(100, 't') + "\r\n";
    trailers += "X-Last: " + std::string(16 * 1024 - trailers.size() - 12, 'l') + "\r\n\r\n";
    ASSERT_EQ(trailers.size(), 16u * 1024u);
    const std::string input = "1\r\nx\r\n0\r\n" + trailers;
    EXPECT_EQ(decode(input), done("x", input.size()));
}

}  // namespace
}  // namespace matrix::mock::http
