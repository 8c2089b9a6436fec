// The JSON path of the value a baseline decoder is at, spelled only when an error needs it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace matrix::bench::detail {

// A chain of stack frames, one per nesting level: building it costs nothing per value, and the
// text ("$.rooms.join['!a:b'].timeline.events[3]") is made only for the error message, in the
// same spelling as matrix::sync::decode uses.
class JsonPath {
  public:
    JsonPath() = default;

    JsonPath member(std::string_view key) const { return JsonPath(this, key, kNoIndex); }
    JsonPath element(std::size_t index) const { return JsonPath(this, {}, index); }

    std::string str() const {
        std::string path = parent_ == nullptr ? std::string("$") : parent_->str();
        if (parent_ == nullptr) return path;
        if (index_ != kNoIndex) return path + "[" + std::to_string(index_) + "]";
        if (is_identifier(key_)) return path + "." + std::string(key_);
        path += "['";
        for (const char c : key_) {
            if (c == '\'' || c == '\\') path += '\\';
            path += c;
        }
        return path + "']";
    }

  private:
    static constexpr std::size_t kNoIndex = static_cast<std::size_t>(-1);

    JsonPath(const JsonPath* parent, std::string_view key, std::size_t index)
        : parent_(parent), key_(key), index_(index) {}

    static bool is_identifier(std::string_view key) {
        if (key.empty()) return false;
        for (std::size_t i = 0; i < key.size(); ++i) {
            const char c = key[i];
            const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
            const bool digit = c >= '0' && c <= '9';
            if (!letter && !(digit && i > 0)) return false;
        }
        return true;
    }

    const JsonPath* parent_ = nullptr;
    std::string_view key_;
    std::size_t index_ = kNoIndex;
};

}  // namespace matrix::bench::detail
