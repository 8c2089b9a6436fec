// The byte-level encodings of a request (percent-encoding, JSON strings, integers) and the three
// outputs they write to: a counter, a preallocated buffer and a std::string. Every request
// path (the Request value, render() and the one-allocation encoder) writes through these, so
// they cannot disagree on a byte.
#pragma once

#include <array>
#include <atomic>
#include <bit>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "byte_blocks.hpp"
#include "matrix/percent_encoding.hpp"

namespace matrix::detail {

inline constexpr char kUpperHexDigits[] = "0123456789ABCDEF";

// Writers store runs of bytes and each escaped byte's form with fixed-size copies (16 and 8
// bytes) and then advance by the real size, so they may write up to this many bytes past their
// end; every buffer they write into keeps that many spare bytes. A branch per piece costs more
// than the spare bytes.
inline constexpr std::size_t kWriteSlack = kBlockSize;

// A byte's encoded form: up to 7 bytes, and how many of them count.
struct EncodedByte {
    std::array<char, 7> bytes{};
    std::uint8_t size = 0;
};
static_assert(sizeof(EncodedByte) == 8);

// RFC 3986: the unreserved bytes as they are, every other byte as %XX (upper-case hex).
inline constexpr std::array<EncodedByte, 256> kPercentEncoded = [] {
    std::array<EncodedByte, 256> table{};
    for (int c = 0; c < 256; ++c) {
        if (is_unreserved(static_cast<char>(c))) {
            table[c] = {{static_cast<char>(c)}, 1};
        } else {
            table[c] = {{'%', kUpperHexDigits[c >> 4], kUpperHexDigits[c & 0x0F]}, 3};
        }
    }
    return table;
}();

// Each byte inside a JSON string as RapidJSON's Writer writes it (so bodies keep the bytes they
// had when RapidJSON wrote them): control bytes as \b \t \n \f \r or \u00XX, '"' and '\\'
// escaped, everything else (UTF-8 included) as is.
inline constexpr std::array<EncodedByte, 256> kJsonEscaped = [] {
    std::array<EncodedByte, 256> table{};
    for (int c = 0; c < 256; ++c) table[c] = {{static_cast<char>(c)}, 1};
    for (int c = 0; c < 0x20; ++c) {
        table[c] = {{'\\', 'u', '0', '0', kUpperHexDigits[c >> 4], kUpperHexDigits[c & 0x0F]}, 6};
    }
    const auto short_escape = [&](char c, char letter) {
        table[static_cast<unsigned char>(c)] = {{'\\', letter}, 2};
    };
    short_escape('\b', 'b');
    short_escape('\t', 't');
    short_escape('\n', 'n');
    short_escape('\f', 'f');
    short_escape('\r', 'r');
    short_escape('"', '"');
    short_escape('\\', '\\');
    return table;
}();

// The size of `value` written through `table`, counting only the bytes `EscapedLanes` flags
// (the others are written as they are).
template <LaneMask (*EscapedLanes)(Block) noexcept>
std::size_t encoded_size(const std::array<EncodedByte, 256>& table,
                         std::string_view value) noexcept {
    const char* const data = value.data();
    const std::size_t size = value.size();
    std::size_t encoded = size;
    const auto count = [&](const char* block, LaneMask escaped) {
        for (; escaped != 0; escaped &= escaped - 1) {
            encoded +=
                table[static_cast<unsigned char>(block[std::countr_zero(escaped)])].size - 1u;
        }
    };
    if (size < kBlockSize) {
        for (const char c : value) encoded += table[static_cast<unsigned char>(c)].size - 1u;
        return encoded;
    }
    std::size_t done = 0;
    for (; done + kBlockSize <= size; done += kBlockSize) {
        count(data + done, EscapedLanes(load_block(data + done)));
    }
    if (done < size) {
        const char* last = data + size - kBlockSize;
        count(last, EscapedLanes(load_block(last)) &
                        lanes_between(kBlockSize - (size - done), kBlockSize));
    }
    return encoded;
}

// Writes lanes [first, 16) of the 16 bytes of the text at `block` through `table`: with no byte
// to escape, one copy; otherwise the runs between escaped bytes, each copied from the text, as
// 16 bytes when the text goes on that far (`end`), else exactly.
template <LaneMask (*EscapedLanes)(Block) noexcept>
[[gnu::always_inline]] inline char* write_encoded_block(char* out,
                                                        const std::array<EncodedByte, 256>& table,
                                                        const char* block, std::size_t first,
                                                        const char* end,
                                                        LaneMask* non_ascii) noexcept {
    const Block bytes = load_block(block);
    LaneMask escaped = EscapedLanes(bytes) & lanes_between(first, kBlockSize);
    if (escaped == 0) {
        if (first != 0) return copy_short(out, block + first, kBlockSize - first);
        std::memcpy(out, block, kBlockSize);
        return out + kBlockSize;
    }
    if (non_ascii != nullptr) *non_ascii |= escaped & non_ascii_lanes(bytes);
    const auto copy_run = [&](std::size_t from, std::size_t to) {
        if (end - (block + from) >= static_cast<std::ptrdiff_t>(kBlockSize)) {
            std::memcpy(out, block + from, kBlockSize);
            out += to - from;
        } else {
            out = copy_short(out, block + from, to - from);
        }
    };
    std::size_t at = first;
    for (; escaped != 0; escaped &= escaped - 1) {
        const auto lane = static_cast<std::size_t>(std::countr_zero(escaped));
        copy_run(at, lane);
        const EncodedByte& encoded = table[static_cast<unsigned char>(block[lane])];
        std::memcpy(out, &encoded, sizeof encoded);
        out += encoded.size;
        at = lane + 1;
    }
    copy_run(at, kBlockSize);
    return out;
}

// Writes `value` through `table`, a block at a time (the last partial block read as the 16 bytes
// that end the text); text shorter than a block, after one test on a block covering it, is
// copied whole or, when it has bytes to escape, written byte by byte. May write kWriteSlack
// bytes past the returned end.
//
// `non_ascii`, when given, collects the non-ASCII bytes among the escaped ones (as lanes): a
// caller that still has to check the text's UTF-8 needs to do it only when there are some.
template <LaneMask (*EscapedLanes)(Block) noexcept>
char* write_encoded(char* out, const std::array<EncodedByte, 256>& table, std::string_view value,
                    LaneMask* non_ascii = nullptr) noexcept {
    const char* const data = value.data();
    const std::size_t size = value.size();
    if (size < kBlockSize) {
        if (size == 0) return out;
        // The covering block repeats bytes; padding with 'a' adds none that is escaped.
        const Block covering = block_covering_short(value, 'a');
        const LaneMask escaped = EscapedLanes(covering);
        if (escaped == 0) return copy_short(out, data, size);
        if (non_ascii != nullptr) *non_ascii |= escaped & non_ascii_lanes(covering);
        for (const char c : value) {
            const EncodedByte& encoded = table[static_cast<unsigned char>(c)];
            std::memcpy(out, &encoded, sizeof encoded);
            out += encoded.size;
        }
        return out;
    }
    std::size_t done = 0;
    for (; done + kBlockSize <= size; done += kBlockSize) {
        out = write_encoded_block<EscapedLanes>(out, table, data + done, 0, data + size, non_ascii);
    }
    if (done < size) {
        out = write_encoded_block<EscapedLanes>(out, table, data + size - kBlockSize,
                                                kBlockSize - (size - done), data + size, non_ascii);
    }
    return out;
}

inline std::size_t percent_encoded_size(std::string_view value) noexcept {
    return encoded_size<percent_escaped_lanes>(kPercentEncoded, value);
}

// Percent-encoding writers, one per classification (percent_writer.cpp): SSE2 on every x86-64
// CPU (a byte loop elsewhere), and SSSE3's shuffle where the CPU has it.
using PercentWriter = char* (*)(char* out, std::string_view value, LaneMask* non_ascii) noexcept;
char* write_percent_encoded_baseline(char* out, std::string_view value,
                                     LaneMask* non_ascii) noexcept;
#if defined(MATRIX_HAVE_SSSE3_PERCENT_LANES)
char* write_percent_encoded_ssse3(char* out, std::string_view value, LaneMask* non_ascii) noexcept;
#endif

// The writer for this CPU. It starts as one that picks it and stores it here, so it is right
// even for a request encoded by a static initializer; the relaxed load is a plain move.
extern std::atomic<PercentWriter> percent_writer;

inline char* write_percent_encoded(char* out, std::string_view value,
                                   LaneMask* non_ascii = nullptr) noexcept {
    return percent_writer.load(std::memory_order_relaxed)(out, value, non_ascii);
}

// The quoted, escaped size of `value` as a JSON string.
inline std::size_t json_string_size(std::string_view value) noexcept {
    return encoded_size<json_escaped_lanes>(kJsonEscaped, value) + 2;
}

inline char* write_json_string(char* out, std::string_view value) noexcept {
    *out++ = '"';
    out = write_encoded<json_escaped_lanes>(out, kJsonEscaped, value);
    *out++ = '"';
    return out;
}

// Copies short pieces (most of a request: names, separators, IDs) without a library call.
// Always inlined: for a literal piece, whose size the compiler knows, it becomes one or two
// moves.
[[gnu::always_inline]] inline char* copy_bytes(char* out, std::string_view text) noexcept {
    if (text.size() > kBlockSize) {
        std::memcpy(out, text.data(), text.size());
        return out + text.size();
    }
    return copy_short(out, text.data(), text.size());
}

// Decimal text of an integer, in a buffer the caller keeps alive while it uses the view.
struct IntegerText {
    char digits[24];
    std::size_t size;

    explicit IntegerText(std::int64_t value) noexcept
        : size(static_cast<std::size_t>(
              std::to_chars(std::begin(digits), std::end(digits), value).ptr - digits)) {}
    std::string_view view() const noexcept { return {digits, size}; }
};

// Counts the bytes a writer would produce, so the buffer can be allocated once, exactly.
class SizeCounter {
  public:
    [[gnu::always_inline]] void append(std::string_view text) noexcept { size_ += text.size(); }
    [[gnu::always_inline]] void append_percent_encoded(std::string_view text) noexcept {
        size_ += percent_encoded_size(text);
    }
    [[gnu::always_inline]] void append_json_string(std::string_view text) noexcept {
        size_ += json_string_size(text);
    }
    std::size_t size() const noexcept { return size_; }

  private:
    std::size_t size_ = 0;
};

// An upper bound of what a writer would produce, from sizes alone (no pass over the bytes).
class SizeBound {
  public:
    [[gnu::always_inline]] void append(std::string_view text) noexcept { size_ += text.size(); }
    [[gnu::always_inline]] void append_percent_encoded(std::string_view text) noexcept {
        size_ += 3 * text.size();
    }
    [[gnu::always_inline]] void append_json_string(std::string_view text) noexcept {
        size_ += 6 * text.size() + 2;
    }
    std::size_t size() const noexcept { return size_; }

  private:
    std::size_t size_ = 0;
};

// Writes into a buffer that a SizeCounter or SizeBound has sized, plus kWriteSlack spare bytes:
// no bounds checks, no allocation. The outputs' methods are always inlined, so that appending a
// literal costs what copying it costs.
class BufferWriter {
  public:
    explicit BufferWriter(char* cursor) noexcept : cursor_(cursor) {}

    [[gnu::always_inline]] void append(std::string_view text) noexcept {
        cursor_ = copy_bytes(cursor_, text);
    }
    [[gnu::always_inline]] void append_percent_encoded(std::string_view text) noexcept {
        cursor_ = write_percent_encoded(cursor_, text, &percent_encoded_non_ascii_);
    }
    [[gnu::always_inline]] void append_json_string(std::string_view text) noexcept {
        cursor_ = write_json_string(cursor_, text);
    }
    char* cursor() const noexcept { return cursor_; }
    // Whether any percent-encoded text held non-ASCII bytes (whose UTF-8 may need checking).
    bool percent_encoded_non_ascii() const noexcept { return percent_encoded_non_ascii_ != 0; }

  private:
    char* cursor_;
    LaneMask percent_encoded_non_ascii_ = 0;
};

// Appends to a std::string, growing it by exactly what each piece needs.
class StringAppender {
  public:
    explicit StringAppender(std::string& out) noexcept : out_(out) {}

    void append(std::string_view text) { out_.append(text); }
    void append_percent_encoded(std::string_view text) {
        write_grown(percent_encoded_size(text), [&](char* at) { write_percent_encoded(at, text); });
    }
    void append_json_string(std::string_view text) {
        write_grown(json_string_size(text), [&](char* at) { write_json_string(at, text); });
    }

  private:
    template <typename Write>
    void write_grown(std::size_t size, Write&& write) {
        const std::size_t old_size = out_.size();
        out_.resize(old_size + size + kWriteSlack);
        write(out_.data() + old_size);
        out_.resize(old_size + size);
    }

    std::string& out_;
};

}  // namespace matrix::detail
