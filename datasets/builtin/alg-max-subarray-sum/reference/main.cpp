#include <algorithm>
#include <iostream>
#include <vector>

int main() {
    std::ios::sync_with_stdio(false);
    std::cin.tie(nullptr);
    int n;
    if (!(std::cin >> n)) return 0;
    std::vector<long long> a(n);
    for (auto& x : a) std::cin >> x;
    long long best = a[0], endingHere = 0;
    for (long long x : a) {
        endingHere = std::max(endingHere + x, x);
        best = std::max(best, endingHere);
    }
    std::cout << best << "\n";
    return 0;
}
