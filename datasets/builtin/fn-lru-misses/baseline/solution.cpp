#include "api.hpp"
#include <algorithm>
#include <list>

long long lru_misses(const std::vector<int>& requests, int capacity) {
    std::list<int> cache;  // most recently used at the front
    long long misses = 0;
    for (int key : requests) {
        auto it = std::find(cache.begin(), cache.end(), key);
        if (it != cache.end()) {
            cache.erase(it);
        } else {
            ++misses;
            if (static_cast<int>(cache.size()) == capacity) cache.pop_back();
        }
        cache.push_front(key);
    }
    return misses;
}
