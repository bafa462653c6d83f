#include <cstdint>
#include <cstdio>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <optiloop/core/hash.hpp>

namespace optiloop::core {

Hasher::Hasher() : m_state(XXH3_createState()) {
    XXH3_128bits_reset(static_cast<XXH3_state_t*>(m_state));
}

Hasher::~Hasher() { XXH3_freeState(static_cast<XXH3_state_t*>(m_state)); }

Hasher& Hasher::add(std::string_view part) {
    auto* state = static_cast<XXH3_state_t*>(m_state);
    const std::uint64_t size = part.size();
    XXH3_128bits_update(state, &size, sizeof size);
    XXH3_128bits_update(state, part.data(), part.size());
    return *this;
}

std::string Hasher::hex() const {
    const XXH128_hash_t digest = XXH3_128bits_digest(static_cast<XXH3_state_t*>(m_state));
    char text[33];
    std::snprintf(text, sizeof text, "%016llx%016llx", static_cast<unsigned long long>(digest.high64),
                  static_cast<unsigned long long>(digest.low64));
    return text;
}

std::string hash_hex(std::string_view data) { return Hasher().add(data).hex(); }

}  // namespace optiloop::core
