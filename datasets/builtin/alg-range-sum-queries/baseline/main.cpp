#include <iostream>
#include <vector>

int main() {
    std::ios::sync_with_stdio(false);
    std::cin.tie(nullptr);
    int n, q;
    if (!(std::cin >> n >> q)) return 0;
    std::vector<long long> a(n);
    for (auto& x : a) std::cin >> x;
    while (q--) {
        int l, r;
        std::cin >> l >> r;  // 1-based, inclusive
        long long sum = 0;
        for (int i = l - 1; i < r; i++) sum += a[i];
        std::cout << sum << "\n";
    }
    return 0;
}
