// The request head: HeadScanner finding its end within limits, and parse_head reading it strictly.
#include <gtest/gtest.h>

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "http/request_head.hpp"

namespace matrix::mock::http {
namespace {

using namespace std::string_literals;

// What a scan said, comparable in one EXPECT: the head's size, or the refusal's status.
struct Outcome {
    std::size_t head_size = 0;
    int error_status = 0;  // 0: no refusal
    friend bool operator==(const Outcome&, const Outcome&) = default;
};

std::ostream& operator<<(std::ostream& out, const Outcome& outcome) {
    return out << "{head_size " << outcome.head_size << ", error " << outcome.error_status << "}";
}

Outcome outcome_of(const HeadScanner::Result& result) {
    return {result.head_size, result.error ? result.error->status : 0};
}

Outcome scan_whole(std::string_view input, HeadLimits limits = {}) {
    HeadScanner scanner(limits);
    return outcome_of(scanner.scan(input));
}

// Feeds growing prefixes of `input` ending at each cut, then the whole, as the connection does
// (its buffer only grows until a head is found); stops at the first complete or refused scan.
Outcome scan_growing(std::string_view input, const std::vector<std::size_t>& cuts,
                     HeadLimits limits = {}) {
    HeadScanner scanner(limits);
    for (const std::size_t cut : cuts) {
        const HeadScanner::Result result = scanner.scan(input.substr(0, cut));
        if (result.complete() || result.error) return outcome_of(result);
    }
    return outcome_of(scanner.scan(input));
}

Outcome scan_byte_by_byte(std::string_view input, HeadLimits limits = {}) {
    std::vector<std::size_t> cuts;
    for (std::size_t cut = 1; cut < input.size(); ++cut) cuts.push_back(cut);
    return scan_growing(input, cuts, limits);
}

// Every two-piece split and the byte-by-byte feed agree with the whole scan. In a long input,
// the splits tried are those near a line end and every 61st byte (each split rescans it all).
void expect_the_same_outcome_however_split(std::string_view input, HeadLimits limits = {}) {
    const Outcome whole = scan_whole(input, limits);
    for (std::size_t cut = 1; cut < input.size(); ++cut) {
        const bool near_line_end =
            input.substr(cut > 3 ? cut - 3 : 0, 6).find('\n') != std::string_view::npos;
        if (input.size() > 4096 && !near_line_end && cut % 61 != 0) continue;
        EXPECT_EQ(scan_growing(input, {cut}, limits), whole) << "split at byte " << cut;
    }
    EXPECT_EQ(scan_byte_by_byte(input, limits), whole);
}

Outcome complete(std::size_t size) { return {size, 0}; }
Outcome refused(int status) { return {0, status}; }
const Outcome kNeedMore{};

std::string header_lines(std::size_t count, std::size_t value_size = 1) {
    std::string lines;
    for (std::size_t i = 0; i < count; ++i) {
        lines += "X-H" + std::to_string(i) + ": " + std::string(value_size, 'v') + "\r\n";
    }
    return lines;
}

// --- HeadScanner: finding the end ---------------------------------------------------------------

TEST(HeadScanner, FindsTheEndOfACompleteHeadInOnePiece) {
    const std::string head = "GET /_matrix/client/versions HTTP/1.1\r\nHost: x\r\n\r\n";
    HeadScanner scanner;
    const HeadScanner::Result result = scanner.scan(head);
    EXPECT_TRUE(result.complete());
    EXPECT_FALSE(result.error);
    EXPECT_EQ(result.head_size, head.size());
    EXPECT_EQ(scanner.leading_blank_bytes(), 0u);
}

TEST(HeadScanner, FindsTheEndOfAHeadSplitAnywhereInsideItsLines) {
    const std::string head =
        "PUT /_matrix/client/v3/rooms/%21r%3Ax/send/m.room.message/t1 HTTP/1.1\r\n"
        "Host: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n";
    EXPECT_EQ(scan_whole(head), complete(head.size()));
    expect_the_same_outcome_however_split(head);
}

TEST(HeadScanner, FindsTheEndOfAHeadSplitAcrossEveryPossibleBoundary) {
    const std::string head = "PUT /x HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n";
    for (std::size_t cut = 1; cut <= head.size(); ++cut) {
        EXPECT_EQ(scan_growing(head, {cut}), complete(head.size())) << "split at byte " << cut;
    }
    std::vector<std::size_t> every_byte;
    for (std::size_t cut = 1; cut < head.size(); ++cut) every_byte.push_back(cut);
    EXPECT_EQ(scan_growing(head, every_byte), complete(head.size()));
}

TEST(HeadScanner, NeedsMoreUntilTheBlankLineArrives) {
    const std::string head = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    for (std::size_t size = 1; size < head.size(); ++size) {
        EXPECT_EQ(scan_whole(head.substr(0, size)), kNeedMore) << "first " << size << " bytes";
    }
}

TEST(HeadScanner, NeedsMoreWhenWhatHasArrivedEndsAtALineEnd) {
    EXPECT_EQ(scan_whole("GET / HTTP/1.1\r\n"), kNeedMore);
    EXPECT_EQ(scan_whole("GET / HTTP/1.1\nHost: x\n"), kNeedMore);
    EXPECT_EQ(scan_whole("GET / HTTP/1.1\r\nHost: x\r\n"), kNeedMore);
    EXPECT_EQ(scan_whole("\r\n"), kNeedMore);
    const std::string head = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    EXPECT_EQ(scan_growing(head, {16}), complete(head.size()));
    EXPECT_EQ(scan_growing(head, {16, 25}), complete(head.size()));
}

TEST(HeadScanner, AcceptsLineFeedOnlyLineEnds) {
    const std::string head = "GET / HTTP/1.1\nHost: x\nAccept: */*\n\n";
    EXPECT_EQ(scan_whole(head), complete(head.size()));
    expect_the_same_outcome_however_split(head);
}

TEST(HeadScanner, AcceptsAMixOfCrlfAndLineFeedLineEnds) {
    const std::string head = "GET / HTTP/1.1\r\nHost: x\n\r\n";
    EXPECT_EQ(scan_whole(head), complete(head.size()));
    expect_the_same_outcome_however_split(head);
}

TEST(HeadScanner, SkipsLeadingBlankLinesAndReportsTheirBytes) {
    const std::string blank = "\r\n\n\r\n";
    const std::string head = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    HeadScanner scanner;
    const HeadScanner::Result result = scanner.scan(blank + head);
    EXPECT_EQ(result.head_size, blank.size() + head.size());
    EXPECT_EQ(scanner.leading_blank_bytes(), blank.size());
    expect_the_same_outcome_however_split(blank + head);
}

TEST(HeadScanner, ReportsTheLeadingBlankBytesHoweverTheyArrive) {
    const std::string input = "\r\n\r\n\nGET / HTTP/1.1\r\n\r\n";
    for (std::size_t cut = 0; cut <= input.size(); ++cut) {
        HeadScanner scanner;
        scanner.scan(input.substr(0, cut));
        EXPECT_TRUE(scanner.scan(input).complete()) << "split at byte " << cut;
        EXPECT_EQ(scanner.leading_blank_bytes(), 5u) << "split at byte " << cut;
    }
}

TEST(HeadScanner, DoesNotCountABodyAfterTheHead) {
    const std::string head = "POST /x HTTP/1.1\r\nContent-Length: 11\r\n\r\n";
    const std::string input = head + "hello\r\n\r\nyo";
    EXPECT_EQ(scan_whole(input), complete(head.size()));
    expect_the_same_outcome_however_split(input);
}

TEST(HeadScanner, DoesNotCountAPipelinedRequestAfterTheHead) {
    const std::string first = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n";
    const std::string second = "GET /b HTTP/1.1\r\nHost: x\r\n\r\n";
    std::string input = first + second;
    HeadScanner scanner;
    EXPECT_EQ(outcome_of(scanner.scan(input)), complete(first.size()));
    expect_the_same_outcome_however_split(input);

    // As the connection does: drop the first head, reset, and find the second.
    input.erase(0, first.size());
    scanner.reset();
    EXPECT_EQ(outcome_of(scanner.scan(input)), complete(second.size()));
    EXPECT_EQ(scanner.leading_blank_bytes(), 0u);
}

TEST(HeadScanner, DoesNotCountAFollowingRequestsLineFeedsAfterABareLineFeedEnd) {
    const std::string head = "GET / HTTP/1.1\n\n";
    EXPECT_EQ(scan_whole(head + "\n\n\nGET / HTTP/1.1\n\n"), complete(head.size()));
}

// --- HeadScanner: the request line limit (414) ------------------------------------------------

TEST(HeadScanner, AcceptsARequestLineOfExactlyTheLimit) {
    std::string line = "GET /";
    line += std::string(8192 - line.size() - 9, 'a') + " HTTP/1.1";
    ASSERT_EQ(line.size(), 8192u);
    const std::string head = line + "\r\nHost: x\r\n\r\n";
    EXPECT_EQ(scan_whole(head), complete(head.size()));
    EXPECT_EQ(scan_whole(line + "\n\n"), complete(line.size() + 2));
    EXPECT_EQ(scan_byte_by_byte(head), complete(head.size()));
}

TEST(HeadScanner, RefusesACompleteRequestLineOneByteOverTheLimitWith414) {
    std::string line = "GET /";
    line += std::string(8193 - line.size() - 9, 'a') + " HTTP/1.1";
    ASSERT_EQ(line.size(), 8193u);
    EXPECT_EQ(scan_whole(line + "\r\nHost: x\r\n\r\n"), refused(414));
    EXPECT_EQ(scan_whole(line + "\r\n"), refused(414));
    EXPECT_EQ(scan_whole(line + "\n"), refused(414));
}

TEST(HeadScanner, RefusesAnUnfinishedRequestLineOverTheLimitWith414BeforeAnyLineFeed) {
    const std::string line = "GET /" + std::string(20000, 'a');
    // Nothing but the request line has arrived, and no LF: refused all the same.
    EXPECT_EQ(scan_whole(line.substr(0, 8192)), kNeedMore);
    EXPECT_EQ(scan_whole(line.substr(0, 8194)), refused(414));
    EXPECT_EQ(scan_whole(line), refused(414));

    // Fed in small pieces, it is refused within a byte of the limit (the byte that could be
    // the line's CR), not when the head limit or an LF finally arrives.
    HeadScanner scanner;
    std::size_t refused_at = 0;
    for (std::size_t size = 1; size <= line.size(); ++size) {
        const HeadScanner::Result result = scanner.scan(std::string_view(line).substr(0, size));
        if (result.error) {
            EXPECT_EQ(result.error->status, 414);
            refused_at = size;
            break;
        }
    }
    EXPECT_GT(refused_at, 8192u);
    EXPECT_LE(refused_at, 8194u);
}

TEST(HeadScanner, KeepsWaitingForAnUnfinishedRequestLineEndingInACrAtTheLimit) {
    // 8192 bytes and a CR: the LF that would make it an exact-limit line may still come.
    const std::string line = "GET /" + std::string(8192 - 5 - 9, 'a') + " HTTP/1.1";
    ASSERT_EQ(line.size(), 8192u);
    EXPECT_EQ(scan_whole(line + "\r"), kNeedMore);
    EXPECT_EQ(scan_whole(line + "\r\n\r\n"), complete(line.size() + 4));
}

TEST(HeadScanner, RefusesAnUnfinishedRequestLineTheByteItPassesTheLimit) {
    const std::string line = "GET /" + std::string(8188, 'a');
    ASSERT_EQ(line.size(), 8193u);
    EXPECT_EQ(scan_whole(line), refused(414));
}

TEST(HeadScanner, LeavesTheRequestLineLimitToLinesAfterTheLeadingBlankLines) {
    // Blank lines before the request line do not count towards its length.
    const std::string line = "GET /" + std::string(8192 - 5 - 9, 'a') + " HTTP/1.1";
    const std::string head = std::string(600, '\n') + line + "\r\n\r\n";
    EXPECT_EQ(scan_whole(head), complete(head.size()));
}

// --- HeadScanner: header lines (431) ----------------------------------------------------------

TEST(HeadScanner, AcceptsAHeaderLineOfExactlyTheLimit) {
    const std::string header = "X-Long: " + std::string(8192 - 8, 'v');
    ASSERT_EQ(header.size(), 8192u);
    const std::string head = "GET / HTTP/1.1\r\n" + header + "\r\n\r\n";
    EXPECT_EQ(scan_whole(head), complete(head.size()));
    EXPECT_EQ(scan_byte_by_byte(head), complete(head.size()));
}

TEST(HeadScanner, RefusesAHeaderLineOverTheLimitWith431) {
    const std::string header = "X-Long: " + std::string(8193 - 8, 'v');
    ASSERT_EQ(header.size(), 8193u);
    EXPECT_EQ(scan_whole("GET / HTTP/1.1\r\n" + header + "\r\n\r\n"), refused(431));
}

TEST(HeadScanner, RefusesAnUnfinishedHeaderLineOverTheLimitWith431BeforeAnyLineFeed) {
    const std::string start = "GET / HTTP/1.1\r\nHost: x\r\n";
    const std::string header = "X-Long: " + std::string(30000, 'v');
    EXPECT_EQ(scan_whole(start + header.substr(0, 8192)), kNeedMore);
    EXPECT_EQ(scan_whole(start + header.substr(0, 8194)), refused(431));
    EXPECT_EQ(scan_whole(start + header), refused(431));
    EXPECT_EQ(scan_growing(start + header, {start.size() + 100, start.size() + 9000}),
              refused(431));
}

// --- HeadScanner: the number of header lines (431) --------------------------------------------

TEST(HeadScanner, AcceptsOneHundredHeaderLines) {
    const std::string head = "GET / HTTP/1.1\r\n" + header_lines(100) + "\r\n";
    EXPECT_EQ(scan_whole(head), complete(head.size()));
}

TEST(HeadScanner, RefusesTheHundredAndFirstHeaderLineWith431AsSoonAsItEnds) {
    const std::string start = "GET / HTTP/1.1\r\n" + header_lines(101);
    // No blank line yet: the 101st header's line end is enough.
    EXPECT_EQ(scan_whole(start), refused(431));
    EXPECT_EQ(scan_whole(start + "\r\n"), refused(431));
    EXPECT_EQ(scan_byte_by_byte(start + "\r\n"), refused(431));
}

TEST(HeadScanner, CountsLineFeedOnlyHeaderLinesToo) {
    std::string start = "GET / HTTP/1.1\n";
    for (int i = 0; i < 101; ++i) start += "A: b\n";
    EXPECT_EQ(scan_whole(start + "\n"), refused(431));
}

// --- HeadScanner: the head's size (431) -------------------------------------------------------

TEST(HeadScanner, RefusesAHeadOverSixtyFourKibibytesWith431BeforeItsBlankLine) {
    // 70 header lines of ~1 KB: within the line and count limits, over 64 KiB in all.
    const std::string start = "GET / HTTP/1.1\r\n" + header_lines(70, 1000);
    ASSERT_GT(start.size(), 65536u);
    EXPECT_EQ(scan_whole(start), refused(431));
    EXPECT_EQ(scan_whole(start + "\r\n"), refused(431));
}

TEST(HeadScanner, RefusesAHeadOverSixtyFourKibibytesWhileAHeaderLineIsUnfinished) {
    // 64 full lines of ~1 KB, then one that is cut short after the head passed 64 KiB.
    std::string start = "GET / HTTP/1.1\r\n" + header_lines(64, 1000);
    ASSERT_LT(start.size(), 65536u);
    start += "X-Last: " + std::string(2000, 'v');  // no line end
    ASSERT_GT(start.size(), 65536u);
    EXPECT_EQ(scan_whole(start), refused(431));
    EXPECT_EQ(scan_growing(start, {100, 40000}), refused(431));
}

TEST(HeadScanner, AcceptsAHeadOfExactlySixtyFourKibibytes) {
    std::string head = "GET / HTTP/1.1\r\n" + header_lines(64, 1000);
    const std::size_t filler = 65536 - head.size() - 2 - 8 - 2;  // "X-Last: " + CRLF + CRLF
    head += "X-Last: " + std::string(filler, 'v') + "\r\n\r\n";
    ASSERT_EQ(head.size(), 65536u);
    EXPECT_EQ(scan_whole(head), complete(head.size()));
    expect_the_same_outcome_however_split(head);
}

TEST(HeadScanner, GivesTheSameAnswerForAHeadEndingJustPastTheSizeLimitHoweverSplit) {
    std::string head = "GET / HTTP/1.1\r\n" + header_lines(64, 1000);
    const std::size_t filler = 65536 - head.size() - 8 - 2;
    head += "X-Last: " + std::string(filler, 'v') + "\r\n";
    ASSERT_EQ(head.size(), 65536u);
    head += "\r\n";
    EXPECT_EQ(scan_growing(head, {65537}), refused(431));
    EXPECT_EQ(scan_whole(head), refused(431));
}

TEST(HeadScanner, DoesNotCountLeadingBlankLinesTowardsTheHeadSize) {
    std::string head = "GET / HTTP/1.1\r\n" + header_lines(64, 1000);
    head += "X-Last: " + std::string(65536 - head.size() - 12, 'v') + "\r\n\r\n";
    ASSERT_EQ(head.size(), 65536u);
    const std::string input = std::string(1000, '\n') + head;
    EXPECT_EQ(scan_whole(input), complete(input.size()));
}

// --- HeadScanner: leading blank lines (400) ---------------------------------------------------

TEST(HeadScanner, AcceptsUpTo1024BytesOfLeadingBlankLines) {
    const std::string request = "GET / HTTP/1.1\r\n\r\n";
    std::string blank;
    for (int i = 0; i < 512; ++i) blank += "\r\n";
    EXPECT_EQ(scan_whole(blank + request), complete(1024 + request.size()));
    EXPECT_EQ(scan_whole(std::string(1024, '\n') + request), complete(1024 + request.size()));
}

TEST(HeadScanner, RefusesMoreThan1024BytesOfLeadingBlankLinesWith400) {
    std::string blank;
    for (int i = 0; i < 513; ++i) blank += "\r\n";
    EXPECT_EQ(scan_whole(blank), refused(400));
    EXPECT_EQ(scan_whole(blank + "GET / HTTP/1.1\r\n\r\n"), refused(400));
    EXPECT_EQ(scan_whole(std::string(1025, '\n')), refused(400));
    std::string many;
    for (int i = 0; i < 2500; ++i) many += "\r\n";
    EXPECT_EQ(scan_byte_by_byte(many), refused(400));
}

// --- HeadScanner: limits of its own --------------------------------------------------------

TEST(HeadScanner, AppliesTheLimitsItIsGiven) {
    HeadLimits limits;
    limits.max_request_line = 20;
    limits.max_header_line = 10;
    limits.max_headers = 2;
    limits.max_head_bytes = 40;
    EXPECT_EQ(scan_whole("GET /0123456789 HTTP/1.1\r\n\r\n", limits), refused(414));
    EXPECT_EQ(scan_whole("GET / HTTP/1.1\r\nA: 01234567\r\n\r\n", limits), refused(431));
    EXPECT_EQ(scan_whole("GET / HTTP/1.1\r\nA: b\r\nA: b\r\nA: b\r\n\r\n", limits), refused(431));
    EXPECT_EQ(scan_whole("GET /012345 HTTP/1.1\r\nA: 0123\r\nB: 01234\r\n\r\n", limits),
              refused(431));
    EXPECT_EQ(scan_whole("GET / HTTP/1.1\r\nA: 012345\r\nB: b\r\n\r\n", limits), complete(35));
}

// --- parse_head: what a head says -------------------------------------------------------------

std::optional<RequestHead> parse(std::string_view head) {
    HeadError error;
    return parse_head(head, error);
}

// The status a head is refused with, or 0 when it parses.
int refusal_of(std::string_view head) {
    HeadError error;
    const std::optional<RequestHead> parsed = parse_head(head, error);
    if (parsed) return 0;
    EXPECT_FALSE(error.message.empty()) << "a refusal without a message";
    return error.status;
}

TEST(ParseHead, ReadsTheMethodTargetVersionAndHeaders) {
    const std::optional<RequestHead> head = parse(
        "POST /_matrix/client/v3/login?x=1 HTTP/1.1\r\nHost: example.org\r\n"
        "Content-Length: 2\r\n\r\n");
    ASSERT_TRUE(head);
    EXPECT_EQ(head->method, "POST");
    EXPECT_EQ(head->target, "/_matrix/client/v3/login?x=1");
    EXPECT_EQ(head->minor_version, 1);
    EXPECT_EQ(head->headers,
              (std::vector<Header>{{"Host", "example.org"}, {"Content-Length", "2"}}));
    EXPECT_TRUE(head->keep_alive);
    EXPECT_FALSE(head->expect_continue);
}

TEST(ParseHead, KeepsTheOrderAndCaseOfHeaderNamesAndEveryRepeat) {
    const std::optional<RequestHead> head = parse(
        "GET / HTTP/1.1\r\nx-lower: 1\r\nX-UPPER: 2\r\nX-Mixed-Case: 3\r\nx-lower: 4\r\n\r\n");
    ASSERT_TRUE(head);
    EXPECT_EQ(head->headers,
              (std::vector<Header>{
                  {"x-lower", "1"}, {"X-UPPER", "2"}, {"X-Mixed-Case", "3"}, {"x-lower", "4"}}));
}

TEST(ParseHead, TrimsSpacesAndTabsAroundValuesButKeepsThoseInside) {
    const std::optional<RequestHead> head =
        parse("GET / HTTP/1.1\r\nA: \t two  words \t\r\nB:no-space\r\nC:   \r\nD:\r\n\r\n");
    ASSERT_TRUE(head);
    EXPECT_EQ(head->headers,
              (std::vector<Header>{{"A", "two  words"}, {"B", "no-space"}, {"C", ""}, {"D", ""}}));
}

TEST(ParseHead, FindsTheFirstHeaderOfANameWhateverItsCase) {
    const std::optional<RequestHead> head =
        parse("GET / HTTP/1.1\r\nContent-Type: a\r\ncontent-type: b\r\n\r\n");
    ASSERT_TRUE(head);
    ASSERT_NE(head->header("CONTENT-TYPE"), nullptr);
    EXPECT_EQ(*head->header("CONTENT-TYPE"), "a");
    EXPECT_EQ(head->header("Content-Length"), nullptr);
}

TEST(ParseHead, AcceptsLineFeedOnlyLineEnds) {
    const std::optional<RequestHead> head = parse("GET /x HTTP/1.0\nHost: y\n\n");
    ASSERT_TRUE(head);
    EXPECT_EQ(head->target, "/x");
    EXPECT_EQ(head->minor_version, 0);
    EXPECT_EQ(head->headers, (std::vector<Header>{{"Host", "y"}}));
}

TEST(ParseHead, AcceptsAHeadWithNoHeaders) {
    const std::optional<RequestHead> head = parse("OPTIONS * HTTP/1.1\r\n\r\n");
    ASSERT_TRUE(head);
    EXPECT_EQ(head->method, "OPTIONS");
    EXPECT_EQ(head->target, "*");
    EXPECT_TRUE(head->headers.empty());
}

TEST(ParseHead, AcceptsAnyTokenAsTheMethod) {
    const std::optional<RequestHead> head = parse("M-SEARCH!#$%&'*+.^_`|~9 / HTTP/1.1\r\n\r\n");
    ASSERT_TRUE(head);
    EXPECT_EQ(head->method, "M-SEARCH!#$%&'*+.^_`|~9");
}

TEST(ParseHead, AcceptsRawNonAsciiBytesInTheTargetForTheServerToJournalAndRefuse) {
    const std::optional<RequestHead> head = parse("GET /caf\xc3\xa9/\xff\x80 HTTP/1.1\r\n\r\n");
    ASSERT_TRUE(head);
    EXPECT_EQ(head->target, "/caf\xc3\xa9/\xff\x80");
}

TEST(ParseHead, AcceptsNonAsciiBytesInHeaderValues) {
    const std::optional<RequestHead> head =
        parse("GET / HTTP/1.1\r\nX-Name: Gr\xc3\xbc\xc3\x9f\xff\r\n\r\n");
    ASSERT_TRUE(head);
    EXPECT_EQ(head->headers[0].value, "Gr\xc3\xbc\xc3\x9f\xff");
}

TEST(ParseHead, TakesAnHttp1xVersionAboveOneAsItsMinorVersion) {
    const std::optional<RequestHead> head = parse("GET / HTTP/1.9\r\n\r\n");
    ASSERT_TRUE(head);
    EXPECT_EQ(head->minor_version, 9);
    EXPECT_TRUE(head->keep_alive);
}

// --- parse_head: keep-alive and Expect --------------------------------------------------------

bool keep_alive_of(std::string_view head) {
    const std::optional<RequestHead> parsed = parse(head);
    EXPECT_TRUE(parsed) << head;
    return parsed && parsed->keep_alive;
}

TEST(ParseHead, KeepsAnHttp11ConnectionAliveUnlessItSaysClose) {
    EXPECT_TRUE(keep_alive_of("GET / HTTP/1.1\r\n\r\n"));
    EXPECT_TRUE(keep_alive_of("GET / HTTP/1.1\r\nConnection: keep-alive\r\n\r\n"));
    EXPECT_TRUE(keep_alive_of("GET / HTTP/1.1\r\nConnection: closed\r\n\r\n"));
    EXPECT_TRUE(keep_alive_of("GET / HTTP/1.1\r\nX-Connection: close\r\n\r\n"));
    EXPECT_FALSE(keep_alive_of("GET / HTTP/1.1\r\nConnection: close\r\n\r\n"));
    EXPECT_FALSE(keep_alive_of("GET / HTTP/1.1\r\nconnection: CLOSE\r\n\r\n"));
}

TEST(ParseHead, ClosesAnHttp11ConnectionWhoseConnectionTokenListHoldsClose) {
    EXPECT_FALSE(keep_alive_of("GET / HTTP/1.1\r\nConnection: Upgrade, close\r\n\r\n"));
    EXPECT_FALSE(keep_alive_of("GET / HTTP/1.1\r\nConnection: close,Upgrade\r\n\r\n"));
    EXPECT_FALSE(keep_alive_of("GET / HTTP/1.1\r\nConnection: te ,\tClose\t, x\r\n\r\n"));
    EXPECT_FALSE(
        keep_alive_of("GET / HTTP/1.1\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n"));
}

TEST(ParseHead, KeepsAnHttp10ConnectionAliveOnlyWhenItAsksForKeepAlive) {
    EXPECT_FALSE(keep_alive_of("GET / HTTP/1.0\r\n\r\n"));
    EXPECT_FALSE(keep_alive_of("GET / HTTP/1.0\r\nConnection: close\r\n\r\n"));
    EXPECT_FALSE(keep_alive_of("GET / HTTP/1.0\r\nConnection: keep-alive-ish\r\n\r\n"));
    EXPECT_TRUE(keep_alive_of("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
    EXPECT_TRUE(keep_alive_of("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"));
    EXPECT_TRUE(keep_alive_of("GET / HTTP/1.0\r\nConnection: te, keep-alive\r\n\r\n"));
}

TEST(ParseHead, ClosesAnHttp10ConnectionThatAsksForBothCloseAndKeepAlive) {
    EXPECT_FALSE(keep_alive_of("GET / HTTP/1.0\r\nConnection: close, keep-alive\r\n\r\n"));
    EXPECT_FALSE(
        keep_alive_of("GET / HTTP/1.0\r\nConnection: close\r\nConnection: keep-alive\r\n\r\n"));
}

TEST(ParseHead, NotesAnExpect100Continue) {
    const auto expects = [](std::string_view head) {
        const std::optional<RequestHead> parsed = parse(head);
        EXPECT_TRUE(parsed) << head;
        return parsed && parsed->expect_continue;
    };
    EXPECT_TRUE(expects("PUT / HTTP/1.1\r\nExpect: 100-continue\r\n\r\n"));
    EXPECT_TRUE(expects("PUT / HTTP/1.1\r\nexpect:  100-Continue \r\n\r\n"));
    EXPECT_FALSE(expects("PUT / HTTP/1.1\r\n\r\n"));
    EXPECT_FALSE(expects("PUT / HTTP/1.1\r\nExpect: 200-ok\r\n\r\n"));
    EXPECT_FALSE(expects("PUT / HTTP/1.1\r\nX-Expect: 100-continue\r\n\r\n"));
}

// --- parse_head: refusals -----------------------------------------------------------------

TEST(ParseHead, RefusesARequestLineWithoutAVersion) {
    EXPECT_EQ(refusal_of("GET /\r\n\r\n"), 400);
    EXPECT_EQ(refusal_of("GET\r\n\r\n"), 400);
    EXPECT_EQ(refusal_of("\r\n"), 400);
    EXPECT_EQ(refusal_of("GET / HTTP/1.1"), 400);  // no line end at all
}

TEST(ParseHead, RefusesExtraSpacesInTheRequestLine) {
    EXPECT_EQ(refusal_of("GET  / HTTP/1.1\r\n\r\n"), 400);
    EXPECT_EQ(refusal_of("GET /  HTTP/1.1\r\n\r\n"), 400);
    EXPECT_EQ(refusal_of("GET / HTTP/1.1 \r\n\r\n"), 400);
    EXPECT_EQ(refusal_of(" GET / HTTP/1.1\r\n\r\n"), 400);
    EXPECT_EQ(refusal_of("GET\t/\tHTTP/1.1\r\n\r\n"), 400);
}

TEST(ParseHead, RefusesASpaceInTheTarget) {
    EXPECT_EQ(refusal_of("GET /a b HTTP/1.1\r\n\r\n"), 400);
    EXPECT_EQ(refusal_of("GET /a b c HTTP/1.1\r\n\r\n"), 400);
}

TEST(ParseHead, RefusesControlCharactersInTheTarget) {
    for (const std::string& control : {"\t"s, "\x01"s, "\x7f"s, "\r"s, "\x1f"s, "\0"s}) {
        EXPECT_EQ(refusal_of("GET /a" + control + "b HTTP/1.1\r\n\r\n"), 400)
            << "byte " << static_cast<int>(static_cast<unsigned char>(control[0]));
    }
}

TEST(ParseHead, RefusesAMethodThatIsNotAToken) {
    EXPECT_EQ(refusal_of("G(T / HTTP/1.1\r\n\r\n"), 400);
    EXPECT_EQ(refusal_of("GET: / HTTP/1.1\r\n\r\n"), 400);
    EXPECT_EQ(refusal_of("G\xc3\xa9T / HTTP/1.1\r\n\r\n"), 400);
    EXPECT_EQ(refusal_of("GE\0T / HTTP/1.1\r\n\r\n"s), 400);
}

TEST(ParseHead, RefusesObsoleteLineFolding) {
    EXPECT_EQ(refusal_of("GET / HTTP/1.1\r\nX-A: one\r\n two\r\n\r\n"), 400);
    EXPECT_EQ(refusal_of("GET / HTTP/1.1\r\nX-A: one\r\n\ttwo\r\n\r\n"), 400);
    EXPECT_EQ(refusal_of("GET / HTTP/1.1\r\n Host: x\r\n\r\n"), 400);
}

TEST(ParseHead, RefusesWhitespaceBeforeTheColon) {
    EXPECT_EQ(refusal_of("GET / HTTP/1.1\r\nHost : x\r\n\r\n"), 400);
    EXPECT_EQ(refusal_of("GET / HTTP/1.1\r\nHost\t: x\r\n\r\n"), 400);
}

TEST(ParseHead, RefusesAHeaderLineWithoutAColonOrAName) {
    EXPECT_EQ(refusal_of("GET / HTTP/1.1\r\nHost x\r\n\r\n"), 400);
    EXPECT_EQ(refusal_of("GET / HTTP/1.1\r\n: x\r\n\r\n"), 400);
    EXPECT_EQ(refusal_of("GET / HTTP/1.1\r\nX(y): x\r\n\r\n"), 400);
}

TEST(ParseHead, RefusesControlCharactersInAValue) {
    EXPECT_EQ(refusal_of("GET / HTTP/1.1\r\nX-A: a\0b\r\n\r\n"s), 400);
    EXPECT_EQ(refusal_of("GET / HTTP/1.1\r\nX-A: a\rb\r\n\r\n"), 400);
    EXPECT_EQ(refusal_of("GET / HTTP/1.1\r\nX-A: ab\r\r\n\r\n"), 400);
    EXPECT_EQ(refusal_of("GET / HTTP/1.1\r\nX-A: a\x01\r\n\r\n"), 400);
    EXPECT_EQ(refusal_of("GET / HTTP/1.1\r\nX-A: a\x7f\r\n\r\n"), 400);
    EXPECT_EQ(refusal_of("GET / HTTP/1.1\r\nX-A: \0\r\n\r\n"s), 400);
}

TEST(ParseHead, AcceptsATabInsideAValue) {
    const std::optional<RequestHead> head = parse("GET / HTTP/1.1\r\nX-A: a\tb\r\n\r\n");
    ASSERT_TRUE(head);
    EXPECT_EQ(head->headers[0].value, "a\tb");
}

TEST(ParseHead, RefusesAnotherMajorVersionWith505) {
    EXPECT_EQ(refusal_of("GET / HTTP/2.0\r\n\r\n"), 505);
    EXPECT_EQ(refusal_of("GET / HTTP/3.0\r\n\r\n"), 505);
    EXPECT_EQ(refusal_of("GET / HTTP/0.9\r\n\r\n"), 505);
}

TEST(ParseHead, RefusesAGarbageVersionWith400) {
    for (const char* version :
         {"HTTP/1.x", "HTTP/1", "HTTP/1.", "HTTP/11.1", "HTTP/1.10", "http/1.1", "HTTPS/1.1",
          "HTTP 1.1", "HTTP/1,1", "xxxxxxxx", "/1.1", "HTTP/1.1\r"}) {
        EXPECT_EQ(refusal_of("GET / " + std::string(version) + "\r\n\r\n"), 400) << version;
    }
}

}  // namespace
}  // namespace matrix::mock::http
