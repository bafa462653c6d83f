#include <iostream>
#include <vector>

int main() {
    std::ios::sync_with_stdio(false);
    std::cin.tie(nullptr);
    int n, q;
    if (!(std::cin >> n >> q)) return 0;
    std::vector<long long> prefix(n + 1, 0);
    for (int i = 0; i < n; i++) {
        long long x;
        std::cin >> x;
        prefix[i + 1] = prefix[i] + x;
    }
    while (q--) {
        int l, r;
        std::cin >> l >> r;  // 1-based, inclusive
        std::cout << prefix[r] - prefix[l - 1] << "\n";
    }
    return 0;
}
