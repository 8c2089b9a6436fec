// Shared immutable bytes, and the fill-once buffer request bodies are read into.
#include "matrix/mock/shared_bytes.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <new>
#include <ostream>

namespace matrix::mock {

struct SharedBytes::Storage {
    std::string text;  // owned as a string, or
    void* mapping = nullptr;
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
constexpr std::size_t kStorageOverhead = sizeof(SharedBytes) + 2 * sizeof(void*) + 48;

std::size_t page_size() {
    static const std::size_t size = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    return size;
}

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
        storage_->text.resize(size);
        data_ = storage_->text.data();
        return;
    }
    const std::size_t rounded = (size + page_size() - 1) / page_size() * page_size();
    void* mapping =
        ::mmap(nullptr, rounded, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mapping == MAP_FAILED) throw std::bad_alloc();
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
