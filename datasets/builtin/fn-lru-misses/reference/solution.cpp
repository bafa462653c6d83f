#include "api.hpp"
#include <list>
#include <unordered_map>

long long lru_misses(const std::vector<int>& requests, int capacity) {
    std::list<int> cache;  // most recently used at the front
    std::unordered_map<int, std::list<int>::iterator> where;
    where.reserve(static_cast<std::size_t>(capacity) * 2 + 16);
    long long misses = 0;
    for (int key : requests) {
        auto found = where.find(key);
        if (found != where.end()) {
            cache.splice(cache.begin(), cache, found->second);
        } else {
            ++misses;
            if (static_cast<int>(where.size()) == capacity) {
                where.erase(cache.back());
                cache.pop_back();
            }
            cache.push_front(key);
            where.emplace(key, cache.begin());
        }
    }
    return misses;
}
