// Immutable bytes held by reference: a request body that the journal, the simulation and every
// reader of the journal share without copying it.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>

namespace matrix::mock {

class SharedBytes {
  public:
    SharedBytes() noexcept = default;
    // Takes the string's buffer; no byte is copied.
    SharedBytes(std::string text);  // NOLINT(google-explicit-constructor): bodies are bytes
    SharedBytes(std::string_view text) : SharedBytes(std::string(text)) {}
    SharedBytes(const char* text) : SharedBytes(std::string(text)) {}

    std::string_view view() const noexcept { return {data_, size_}; }
    operator std::string_view() const noexcept { return view(); }  // NOLINT: reads as text
    const char* data() const noexcept { return data_; }
    std::size_t size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }
    std::string str() const { return std::string(view()); }

    // The memory these bytes keep alive, for accounting (a mapped buffer counts whole pages).
    std::size_t footprint() const noexcept;
    // True when both hold the very same buffer (not merely equal bytes).
    bool same_buffer(const SharedBytes& other) const noexcept {
        return storage_ != nullptr && storage_ == other.storage_;
    }

    friend bool operator==(const SharedBytes& a, std::string_view b) noexcept {
        return a.view() == b;
    }
    friend std::ostream& operator<<(std::ostream& out, const SharedBytes& bytes);

  private:
    friend class ByteBuffer;
    struct Storage;
    SharedBytes(std::shared_ptr<const Storage> storage, const char* data, std::size_t size)
        : storage_(std::move(storage)), data_(data), size_(size) {}

    std::shared_ptr<const Storage> storage_;
    const char* data_ = "";
    std::size_t size_ = 0;
};

// A buffer of a size known in advance (a Content-Length), filled in place by the reader and
// then frozen into SharedBytes without a copy, and left uninitialised: zeroing it first would
// touch every page twice. Buffers of 2 MiB and more are mapped from the kernel directly, 2 MiB
// aligned and marked for transparent huge pages: filling fresh memory faults once per page,
// and a fault per 4 KiB held a 32 MiB body to ~200 MB/s on a virtual machine (bench/RESULTS.md);
// their memory also returns to the kernel as soon as the last holder lets go. Smaller ones
// come from the heap, whose allocator reuses memory already faulted in.
class ByteBuffer {
  public:
    static constexpr std::size_t kMappedFrom = 2 * 1024 * 1024;

    ByteBuffer() = default;
    explicit ByteBuffer(std::size_t size);  // contents unspecified; throws std::bad_alloc
    ByteBuffer(ByteBuffer&&) noexcept = default;
    ByteBuffer& operator=(ByteBuffer&&) noexcept = default;

    char* data() noexcept { return data_; }
    std::size_t size() const noexcept { return size_; }

    SharedBytes freeze() &&;

  private:
    std::shared_ptr<SharedBytes::Storage> storage_;
    char* data_ = nullptr;
    std::size_t size_ = 0;
};

}  // namespace matrix::mock
