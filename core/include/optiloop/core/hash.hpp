// Content hashes (xxHash3, 128 bit) for cache keys: compile cache, response cache, results.
#pragma once

#include <string>
#include <string_view>

namespace optiloop::core {

// Incremental hasher; each part is length-prefixed so ("ab","c") and ("a","bc") differ.
class Hasher {
public:
    Hasher();
    ~Hasher();
    Hasher(const Hasher&) = delete;
    Hasher& operator=(const Hasher&) = delete;
    Hasher& add(std::string_view part);
    [[nodiscard]] std::string hex() const;  // 32 hex digits

private:
    void* m_state;
};

std::string hash_hex(std::string_view data);

}  // namespace optiloop::core
