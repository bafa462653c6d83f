#include "api.hpp"

namespace {

// Sorts v[lo, hi) using tmp as scratch and returns the inversions inside it.
long long sort_count(std::vector<int>& v, std::vector<int>& tmp, std::size_t lo, std::size_t hi) {
    if (hi - lo < 2) return 0;
    std::size_t mid = lo + (hi - lo) / 2;
    long long inv = sort_count(v, tmp, lo, mid) + sort_count(v, tmp, mid, hi);
    std::size_t i = lo, j = mid, k = lo;
    while (i < mid && j < hi) {
        if (v[j] < v[i]) {
            inv += static_cast<long long>(mid - i);
            tmp[k++] = v[j++];
        } else {
            tmp[k++] = v[i++];
        }
    }
    while (i < mid) tmp[k++] = v[i++];
    while (j < hi) tmp[k++] = v[j++];
    for (std::size_t t = lo; t < hi; ++t) v[t] = tmp[t];
    return inv;
}

}  // namespace

long long count_inversions(const std::vector<int>& a) {
    std::vector<int> v(a), tmp(a.size());
    return sort_count(v, tmp, 0, v.size());
}
