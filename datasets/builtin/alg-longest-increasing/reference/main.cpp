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
    // tails[k] = smallest possible last value of an increasing subsequence of length k+1
    std::vector<long long> tails;
    for (long long x : a) {
        auto it = std::lower_bound(tails.begin(), tails.end(), x);
        if (it == tails.end()) tails.push_back(x);
        else *it = x;
    }
    std::cout << tails.size() << "\n";
    return 0;
}
