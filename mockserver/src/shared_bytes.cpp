// Shared immutable bytes, and the fill-once buffer request bodies are read into.
#include "matrix/mock/shared_bytes.hpp"

#include <sys/mman.h>

#include <cstdint>
#include <new>
#include <ostream>

namespace matrix::mock {

struct SharedBytes::Storage {
    std::string text;              // owned as a string, or
    std::unique_ptr<char[]> heap;  // a heap block of heap_size bytes, or
    std::size_t heap_size = 0;
    void* mapping = nullptr;  // a mapping from the kernel
    std::size_t mapping_size = 0;

    Storage() = default;
    Storage(const Storage&) = delete;
    Storage& operator=(const Storage&) = delete;
    ~Storage() {
        if (mapping != nullptr) ::munmap(mapping, mapping_size);
    }
};

namespace {

// The control block and the Storage share one allocation (make_shared).
constexpr std::size_t kStorageOverhead = sizeof(SharedBytes) + 2 * sizeof(void*) + 64;

}  // namespace

SharedBytes::SharedBytes(std::string text) {
    if (text.empty()) return;
    auto storage = std::make_shared<Storage>();
    storage->text = std::move(text);
    data_ = storage->text.data();
    size_ = storage->text.size();
    storage_ = std::move(storage);
}

std::size_t SharedBytes::footprint() const noexcept {
    if (!storage_) return 0;
    if (storage_->mapping != nullptr) return storage_->mapping_size + kStorageOverhead;
    if (storage_->heap) return storage_->heap_size + kStorageOverhead;
    // A string past its small-string buffer holds capacity() + 1 bytes on the heap.
    return storage_->text.capacity() + 1 + kStorageOverhead;
}

std::ostream& operator<<(std::ostream& out, const SharedBytes& bytes) {
    return out << bytes.view();
}

ByteBuffer::ByteBuffer(std::size_t size) : size_(size) {
    if (size == 0) return;
    storage_ = std::make_shared<SharedBytes::Storage>();
    if (size < kMappedFrom) {
        storage_->heap.reset(new char[size]);  // uninitialised: the reader writes every byte
        storage_->heap_size = size;
        data_ = storage_->heap.get();
        return;
    }
    // Whole huge pages, 2 MiB aligned: map 2 MiB more than needed and trim both ends.
    constexpr std::size_t kHugePage = 2 * 1024 * 1024;
    const std::size_t rounded = (size + kHugePage - 1) / kHugePage * kHugePage;
    void* raw = ::mmap(nullptr, rounded + kHugePage, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) throw std::bad_alloc();
    const auto start = reinterpret_cast<std::uintptr_t>(raw);
    const std::uintptr_t aligned = (start + kHugePage - 1) / kHugePage * kHugePage;
    if (aligned > start) ::munmap(raw, aligned - start);
    const std::uintptr_t tail = aligned + rounded;
    if (start + rounded + kHugePage > tail)
        ::munmap(reinterpret_cast<void*>(tail), start + rounded + kHugePage - tail);
    void* mapping = reinterpret_cast<void*>(aligned);
    // Advice only: where transparent huge pages are off, the mapping works with small pages.
    ::madvise(mapping, rounded, MADV_HUGEPAGE);
    storage_->mapping = mapping;
    storage_->mapping_size = rounded;
    data_ = static_cast<char*>(mapping);
}

SharedBytes ByteBuffer::freeze() && {
    if (!storage_) return {};
    SharedBytes bytes(std::move(storage_), data_, size_);
    data_ = nullptr;
    size_ = 0;
    return bytes;
}

}  // namespace matrix::mock
