// The byte-level encodings of a request (percent-encoding, JSON strings, integers) and the three
// outputs they write to: a counter, a preallocated buffer and a std::string. Every request
// path (the Request value, render() and the one-allocation encoder) writes through these, so
// they cannot disagree on a byte.
#pragma once

#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "matrix/percent_encoding.hpp"

namespace matrix::detail {

inline constexpr char kUpperHexDigits[] = "0123456789ABCDEF";

// Writers store each input byte's encoded form with one fixed-size copy and then advance by its
// real size, so they may write up to this many bytes past their end; every buffer they write
// into keeps that many spare bytes. A branch per byte costs more than the spare bytes.
inline constexpr std::size_t kWriteSlack = 8;

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

inline std::size_t encoded_size(const std::array<EncodedByte, 256>& table,
                                std::string_view value) noexcept {
    std::size_t size = 0;
    for (const char c : value) size += table[static_cast<unsigned char>(c)].size;
    return size;
}

// Writes `value` through `table`; may write kWriteSlack bytes past the returned end.
inline char* write_encoded(char* out, const std::array<EncodedByte, 256>& table,
                           std::string_view value) noexcept {
    for (const char c : value) {
        const EncodedByte& encoded = table[static_cast<unsigned char>(c)];
        std::memcpy(out, &encoded, sizeof encoded);
        out += encoded.size;
    }
    return out;
}

inline std::size_t percent_encoded_size(std::string_view value) noexcept {
    return encoded_size(kPercentEncoded, value);
}

inline char* write_percent_encoded(char* out, std::string_view value) noexcept {
    return write_encoded(out, kPercentEncoded, value);
}

// The quoted, escaped size of `value` as a JSON string.
inline std::size_t json_string_size(std::string_view value) noexcept {
    return encoded_size(kJsonEscaped, value) + 2;
}

inline char* write_json_string(char* out, std::string_view value) noexcept {
    *out++ = '"';
    out = write_encoded(out, kJsonEscaped, value);
    *out++ = '"';
    return out;
}

// Copies short pieces (most of a request: names, separators, IDs) without a library call.
inline char* copy_bytes(char* out, std::string_view text) noexcept {
    const std::size_t size = text.size();
    const char* in = text.data();
    if (size >= 8 && size <= 16) {
        // Two overlapping eight-byte copies cover any size from 8 to 16.
        std::memcpy(out, in, 8);
        std::memcpy(out + size - 8, in + size - 8, 8);
    } else if (size >= 4 && size < 8) {
        std::memcpy(out, in, 4);
        std::memcpy(out + size - 4, in + size - 4, 4);
    } else if (size != 0 && size < 4) {
        // Sizes 1 to 3: first, middle and last byte (some of them the same).
        out[0] = in[0];
        out[size / 2] = in[size / 2];
        out[size - 1] = in[size - 1];
    } else if (size > 16) {
        std::memcpy(out, in, size);
    }
    return out + size;
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
    void append(std::string_view text) noexcept { size_ += text.size(); }
    void append_percent_encoded(std::string_view text) noexcept {
        size_ += percent_encoded_size(text);
    }
    void append_json_string(std::string_view text) noexcept { size_ += json_string_size(text); }
    std::size_t size() const noexcept { return size_; }

  private:
    std::size_t size_ = 0;
};

// An upper bound of what a writer would produce, from sizes alone (no pass over the bytes).
class SizeBound {
  public:
    void append(std::string_view text) noexcept { size_ += text.size(); }
    void append_percent_encoded(std::string_view text) noexcept { size_ += 3 * text.size(); }
    void append_json_string(std::string_view text) noexcept { size_ += 6 * text.size() + 2; }
    std::size_t size() const noexcept { return size_; }

  private:
    std::size_t size_ = 0;
};

// Writes into a buffer that a SizeCounter or SizeBound has sized, plus kWriteSlack spare bytes:
// no bounds checks, no allocation.
class BufferWriter {
  public:
    explicit BufferWriter(char* cursor) noexcept : cursor_(cursor) {}

    void append(std::string_view text) noexcept { cursor_ = copy_bytes(cursor_, text); }
    void append_percent_encoded(std::string_view text) noexcept {
        cursor_ = write_percent_encoded(cursor_, text);
    }
    void append_json_string(std::string_view text) noexcept {
        cursor_ = write_json_string(cursor_, text);
    }
    char* cursor() const noexcept { return cursor_; }

  private:
    char* cursor_;
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
